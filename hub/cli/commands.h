#pragma once
// The command tree of the `hub` executable; one function per command group.
#include "hub/cli/command.h"

namespace hub::cli {

Command serveCommand();
Command configCommand();
Command versionCommand();
Command scheduleCommand();

Command flowCommand();
Command dlqCommand();
Command runsCommand();
Command traceCommand();
Command tokenCommand();
Command mapCommand();
Command connectorsCommand();
Command storeCommand();

Command rootCommand();

}  // namespace hub::cli

#include "hub/cli/commands.h"

namespace hub::cli {

Command rootCommand() {
  Command root;
  root.name = "hub";
  root.summary = "DMS integration hub: moves customers, products, orders, stock and invoices between systems";
  root.subcommands = {serveCommand(), configCommand(), flowCommand(), runsCommand(), dlqCommand(), traceCommand(), mapCommand(),
                     connectorsCommand(), scheduleCommand(), storeCommand(), tokenCommand(),
                     versionCommand()};
  return root;
}

}  // namespace hub::cli

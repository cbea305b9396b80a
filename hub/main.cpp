#include <unistd.h>

#include <iostream>

#include "hub/cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  hub::cli::Io io{std::cout, std::cerr, std::cin, ::isatty(STDOUT_FILENO) != 0};
  return hub::cli::dispatch(hub::cli::rootCommand(), args, io);
}

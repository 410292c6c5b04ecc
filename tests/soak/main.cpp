// chatbus-soak: a bounded soak and fault test against a fresh chatbusd on
// 127.0.0.1 (docs/soak.md). Exit status 0 when no rule was broken.
#include <signal.h>

#include "options.hpp"
#include "soak.hpp"

int main(int argc, char** argv) {
  ::signal(SIGPIPE, SIG_IGN);  // writes to reset sockets are errors, not deaths
  return chatbus::soak::run_soak(chatbus::soak::parse_options(argc, argv));
}

// token_table: the constant-time comparison (see token_table.hpp).
#include "chatbus/token_table.hpp"

namespace chatbus {

bool constant_time_equal(std::string_view secret, std::string_view candidate) {
  unsigned char difference = secret.size() == candidate.size() ? 0 : 1;
  for (std::size_t i = 0; i < secret.size(); ++i) {
    // Past the candidate's end, compare against 0 and go on: no early exit.
    const unsigned char other = i < candidate.size() ? static_cast<unsigned char>(candidate[i]) : 0;
    difference |= static_cast<unsigned char>(static_cast<unsigned char>(secret[i]) ^ other);
  }
  return difference == 0;
}

}  // namespace chatbus

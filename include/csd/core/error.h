#pragma once
/// The one user-facing error type: its message says what is wrong and how to fix it.
/// Commands catch it at the top and print `error: <message>` with a non-zero exit.
#include <stdexcept>
#include <string>

namespace csd {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Always-on check for user input: throws csd::Error(message) when `ok` is false.
inline void require(bool ok, const std::string& message) {
  if (!ok) throw Error(message);
}

}  // namespace csd

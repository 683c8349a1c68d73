#pragma once
/// Error-path helpers shared by the test suites.
#include <functional>
#include <string>

#include "csd/core/error.h"

namespace csd::test {

/// The csd::Error message of `f`, or "(no csd::Error)".
inline std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no csd::Error)";
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace csd::test

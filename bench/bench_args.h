#pragma once
// Command-line helpers shared by the benchmark executables of this folder.
#include <cstdio>
#include <cstdlib>

namespace csd::bench {

/// The positive integer `text` given to `flag`; exits with status 2 and a message if not.
inline int parse_positive_int(const char* text, const char* flag) {
  char* end = nullptr;
  const long value = std::strtol(text, &end, 10);
  if (end == text || *end != '\0' || value <= 0) {
    std::fprintf(stderr, "error: %s needs a positive integer, got '%s'\n", flag, text);
    std::exit(2);
  }
  return static_cast<int>(value);
}

}  // namespace csd::bench

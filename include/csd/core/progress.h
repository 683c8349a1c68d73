#pragma once
/// Progress of long work: done/total, rate and ETA, logged through spdlog at most
/// every `interval_s` seconds (and at the end). Thread-safe.
#include <chrono>
#include <mutex>
#include <string>

namespace csd {

class Progress {
 public:
  Progress(std::string what, long total, double interval_s = 2.0);
  /// Adds `count` finished units; logs if the interval has passed or all are done.
  void add(long count = 1);
  long done() const;
  double elapsed_seconds() const;

 private:
  std::string what_;
  long total_;
  long done_ = 0;
  double interval_s_;
  std::chrono::steady_clock::time_point start_, last_log_;
  mutable std::mutex mutex_;
};

/// "1h02m", "3m05s", "12.3s"
std::string format_duration(double seconds);

}  // namespace csd

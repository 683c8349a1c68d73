#include "csd/core/progress.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>

namespace csd {

Progress::Progress(std::string what, long total, double interval_s)
    : what_(std::move(what)),
      total_(total),
      interval_s_(interval_s),
      start_(std::chrono::steady_clock::now()),
      last_log_(start_) {}

void Progress::add(long count) {
  std::lock_guard<std::mutex> lock(mutex_);
  done_ += count;
  const auto now = std::chrono::steady_clock::now();
  const double since_log = std::chrono::duration<double>(now - last_log_).count();
  if (since_log < interval_s_ && done_ < total_) return;
  last_log_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  const double eta_s = rate > 0 ? (total_ - done_) / rate : 0.0;
  spdlog::info("{}: {}/{} ({:.0f}%), {:.2f}/s, elapsed {}, ETA {}", what_, done_, total_,
               total_ > 0 ? 100.0 * done_ / total_ : 100.0, rate, format_duration(elapsed),
               format_duration(eta_s));
}

long Progress::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

double Progress::elapsed_seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

std::string format_duration(double seconds) {
  char buffer[32];
  if (!std::isfinite(seconds)) return "?";
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1fs", seconds);
  } else if (seconds < 3600) {
    std::snprintf(buffer, sizeof buffer, "%dm%02ds", static_cast<int>(seconds) / 60,
                  static_cast<int>(seconds) % 60);
  } else {
    std::snprintf(buffer, sizeof buffer, "%dh%02dm", static_cast<int>(seconds) / 3600,
                  (static_cast<int>(seconds) % 3600) / 60);
  }
  return buffer;
}

}  // namespace csd

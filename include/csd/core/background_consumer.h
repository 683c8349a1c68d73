#pragma once
/// One consumer thread behind a bounded queue: producers hand items over with push()
/// and go on while the consumer works, e.g. compressing and writing finished sequences
/// while the solver computes the next one.
///
///   csd::BackgroundConsumer<Result> sink(capacity, [&](Result& r) { write(r); });
///   parallel_for(count, threads, [&](int i) { sink.push(compute(i)); });
///   sink.finish();   // waits for the queue to drain; rethrows the consumer's error
///
/// push() blocks while `capacity` items wait, so memory stays bounded. The first
/// exception of the consumer stops it, and every later push() and finish() rethrows
/// it. The destructor (e.g. while a producer's exception unwinds) still consumes the
/// items already queued, then joins, never throwing: finished work is not lost.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "csd/core/error.h"

namespace csd {

template <class T>
class BackgroundConsumer {
 public:
  BackgroundConsumer(std::size_t capacity, std::function<void(T&)> consume)
      : capacity_(capacity), consume_(std::move(consume)) {
    require(capacity_ > 0, "a background queue needs room for at least one item");
    thread_ = std::thread([this] { run(); });
  }

  ~BackgroundConsumer() { close(); }

  BackgroundConsumer(const BackgroundConsumer&) = delete;
  BackgroundConsumer& operator=(const BackgroundConsumer&) = delete;

  /// Queues `item`, waiting while the queue is full. Rethrows the consumer's error.
  void push(T item) {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return queue_.size() < capacity_ || error_; });
    if (error_) std::rethrow_exception(error_);
    require(!closed_, "push() after finish()");
    queue_.push_back(std::move(item));
    work_.notify_one();
  }

  /// Waits until every queued item is consumed and the thread has ended; rethrows the
  /// consumer's error.
  void finish() {
    close();
    if (error_) std::rethrow_exception(error_);
  }

 private:
  void close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    work_.notify_one();
    if (thread_.joinable()) thread_.join();
  }

  void run() {
    for (;;) {
      T item;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_.wait(lock, [&] { return !queue_.empty() || closed_; });
        if (queue_.empty()) return;  // closed and drained
        item = std::move(queue_.front());
        queue_.pop_front();
      }
      space_.notify_one();
      try {
        consume_(item);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        error_ = std::current_exception();
        queue_.clear();
        space_.notify_all();
        return;
      }
    }
  }

  const std::size_t capacity_;
  std::function<void(T&)> consume_;
  std::mutex mutex_;
  std::condition_variable work_, space_;
  std::deque<T> queue_;
  bool closed_ = false;
  std::exception_ptr error_;
  std::thread thread_;  // last: starts after every member it uses exists
};

}  // namespace csd

#pragma once
/// Thread counts and the one parallel loop of csd.
///
///   const int threads = csd::resolve_threads(requested);   // 0 = all cores
///   csd::parallel_for(count, threads, [&](int i) { work(i); });
///   csd::parallel_for(count, threads, [] { return FrameAnalyzer(n); },
///                     [&](int i, FrameAnalyzer& analyzer) { ... });
///
/// Items are handed out in index order to whichever worker is free, so they finish in
/// any order: work that must reach a file in order serialises itself (io::DatasetWriter
/// commits sequences by index).
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace csd {

/// Threads for a requested count: 0 → all cores (1 when the machine does not say); more
/// than the cores → the cores, with a warning (more threads than cores only slow CPU-bound
/// work down). Throws csd::Error for a negative count.
int resolve_threads(int requested);

/// Workers for `items` items: resolve_threads(threads), never more than the items, at least 1.
int worker_count(int threads, int items);

/// Calls work(i, context) for every i in [0, count), each exactly once, on
/// worker_count(threads, count) workers, the calling thread being one of them (one
/// worker: everything runs inline, in index order). Each worker owns a context from
/// make_context() (state that must not be shared between threads, e.g. a FrameAnalyzer).
/// The first exception (from make_context or work) stops the workers from taking new
/// items and is rethrown here once every worker has stopped.
template <class MakeContext, class Work>
void parallel_for(int count, int threads, MakeContext make_context, Work work) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto worker = [&] {
    try {
      auto context = make_context();
      for (int i = next++; i < count && !failed; i = next++) work(i, context);
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  const int workers = worker_count(threads, count);
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(worker);
  worker();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
}

/// parallel_for without a per-worker context: work(i).
template <class Work>
void parallel_for(int count, int threads, Work work) {
  struct NoContext {};
  parallel_for(count, threads, [] { return NoContext{}; },
               [&work](int i, NoContext&) { work(i); });
}

}  // namespace csd

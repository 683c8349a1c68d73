// csd/core/parallel.h: the thread-count rule of every command and the one parallel loop
// (evaluation's sequences, generate's sequences).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "csd/core/error.h"
#include "csd/core/parallel.h"

namespace csd {
namespace {

int cores() { return static_cast<int>(std::thread::hardware_concurrency()); }

TEST(ResolveThreads, ZeroMeansAllCoresAndNegativeIsRefused) {
  EXPECT_EQ(resolve_threads(0), std::max(cores(), 1));
  EXPECT_EQ(resolve_threads(1), 1);
  try {
    resolve_threads(-1);
    FAIL() << "threads = -1 was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("threads = -1 must be >= 0"), std::string::npos)
        << e.what();
  }
}

TEST(ResolveThreads, MoreThanTheCoresUsesTheCores) {
  if (cores() == 0) GTEST_SKIP() << "this machine does not report its cores";
  EXPECT_EQ(resolve_threads(cores()), cores());
  EXPECT_EQ(resolve_threads(cores() + 5), cores());
}

TEST(WorkerCount, NeverMoreWorkersThanItemsAndAtLeastOne) {
  EXPECT_EQ(worker_count(0, 1), 1);
  EXPECT_EQ(worker_count(1, 100), 1);
  EXPECT_EQ(worker_count(0, 0), 1);
  EXPECT_EQ(worker_count(0, 1000), std::max(cores(), 1));
}

TEST(ParallelFor, RunsEveryIndexExactlyOnce) {
  for (int threads : {1, 2, 0}) {
    const int count = 1000;
    std::vector<std::atomic<int>> calls(count);
    parallel_for(count, threads, [&](int i) { calls[static_cast<std::size_t>(i)]++; });
    for (int i = 0; i < count; ++i)
      ASSERT_EQ(calls[static_cast<std::size_t>(i)].load(), 1) << "index " << i << ", threads " << threads;
  }
}

TEST(ParallelFor, NothingToDoCallsNothing) {
  int calls = 0;
  parallel_for(0, 2, [&](int) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(ParallelFor, OneThreadRunsInlineInIndexOrder) {
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<int> order;
  parallel_for(5, 1, [&](int i) {
    EXPECT_EQ(std::this_thread::get_id(), caller);
    order.push_back(i);
  });
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(ParallelFor, EachWorkerOwnsOneContext) {
  if (cores() < 2) GTEST_SKIP() << "needs two cores for two workers";
  struct Context {
    std::thread::id owner = std::this_thread::get_id();
    int items = 0;
  };
  std::atomic<int> contexts{0}, items{0};
  parallel_for(
      200, 2,
      [&] {
        ++contexts;
        return Context{};
      },
      [&](int, Context& context) {
        EXPECT_EQ(context.owner, std::this_thread::get_id());  // never shared across threads
        ++context.items;
        ++items;
      });
  EXPECT_EQ(contexts.load(), 2);
  EXPECT_EQ(items.load(), 200);
}

TEST(ParallelFor, TheFirstExceptionReachesTheCallerAndStopsNewItems) {
  for (int threads : {1, 2}) {
    std::atomic<int> started{0};
    try {
      parallel_for(1000, threads, [&](int i) {
        ++started;
        if (i == 3) throw Error("item 3 failed");
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      });
      FAIL() << "the exception was lost (threads " << threads << ")";
    } catch (const Error& e) {
      EXPECT_STREQ(e.what(), "item 3 failed");
    }
    // Items already taken may finish, but no worker takes many more after the failure.
    EXPECT_LT(started.load(), 100) << "threads " << threads;
  }
}

TEST(ParallelFor, AnExceptionFromMakingAContextReachesTheCaller) {
  EXPECT_THROW(parallel_for(
                   4, 1, []() -> int { throw std::runtime_error("no context"); },
                   [](int, int&) {}),
               std::runtime_error);
}

}  // namespace
}  // namespace csd

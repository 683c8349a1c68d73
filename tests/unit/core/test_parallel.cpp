// csd/core/parallel.h: the thread-count rule of every command and the one parallel loop
// (evaluation's sequences, generate's sequences); csd/core/background_consumer.h:
// generate's writer thread.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

#include "csd/core/background_consumer.h"
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


TEST(BackgroundConsumer, ConsumesEveryItemInPushOrderOffTheCallersThread) {
  std::vector<int> seen;
  std::thread::id consumer;
  {
    BackgroundConsumer<int> sink(2, [&](int& i) {
      consumer = std::this_thread::get_id();
      seen.push_back(i);
    });
    for (int i = 0; i < 50; ++i) sink.push(i);
    sink.finish();
  }
  ASSERT_EQ(seen.size(), 50u);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(seen[static_cast<std::size_t>(i)], i);
  EXPECT_NE(consumer, std::this_thread::get_id());
}

TEST(BackgroundConsumer, PushWaitsWhileTheQueueIsFull) {
  // The consumer holds item 0 until released; the queue (capacity 2) then takes items 1
  // and 2, and the push of item 3 must wait.
  std::atomic<bool> release{false};
  std::atomic<int> pushed{0};
  BackgroundConsumer<int> sink(2, [&](int& i) {
    if (i == 0)
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  std::thread producer([&] {
    for (int i = 0; i < 4; ++i) {
      sink.push(i);
      ++pushed;
    }
  });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (pushed < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(pushed.load(), 3);  // item 0 taken, 1 and 2 queued, 3 still waiting
  release = true;
  producer.join();
  EXPECT_EQ(pushed.load(), 4);
  sink.finish();
}

TEST(BackgroundConsumer, TheConsumersErrorReachesPushAndFinish) {
  BackgroundConsumer<int> sink(1, [](int& i) {
    if (i == 1) throw Error("disk full at item 1");
  });
  bool push_threw = false;
  for (int i = 0; i < 100 && !push_threw; ++i) {
    try {
      sink.push(i);
    } catch (const Error& e) {
      push_threw = true;
      EXPECT_STREQ(e.what(), "disk full at item 1");
    }
  }
  EXPECT_TRUE(push_threw);
  try {
    sink.finish();
    FAIL() << "finish() must rethrow the consumer's error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "disk full at item 1");
  }
}

TEST(BackgroundConsumer, AProducersErrorStillConsumesWhatWasQueued) {
  // generate's promise: the sequences finished before a solver failed are still written.
  std::vector<int> seen;
  try {
    BackgroundConsumer<int> sink(8, [&](int& i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      seen.push_back(i);
    });
    for (int i = 0; i < 5; ++i) sink.push(i);
    throw std::runtime_error("solver diverged");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(seen, (std::vector<int>{0, 1, 2, 3, 4}));
}

TEST(BackgroundConsumer, ZeroCapacityIsRefused) {
  EXPECT_THROW(BackgroundConsumer<int>(0, [](int&) {}), Error);
}

}  // namespace
}  // namespace csd

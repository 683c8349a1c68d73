// DatasetWriter / DatasetReader: round trips, crash safety and resume, ordered commits,
// refusal to damage existing data, and clear errors.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <thread>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/io/fs.h"
#include "io_dataset_fixture.h"
#include "temp_dir.h"
#include "unprivileged.h"

namespace csd::io {
namespace {

using test::tiny_info;
using test::tiny_sequence;
using test::write_tiny;
using Mode = DatasetWriter::Mode;

/// Runs `action`, expects csd::Error and returns its message.
template <class Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected csd::Error";
  return "";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

bool bitwise_equal(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Every stored value of `path` equals the synthetic data of `info`.
void expect_contents(const std::string& path, const DatasetInfo& info) {
  const DatasetReader reader(path);
  ASSERT_EQ(reader.shape().sequences, info.shape.sequences);
  for (int s = 0; s < info.shape.sequences; ++s) {
    const test::SequenceData d = tiny_sequence(s, info);
    EXPECT_TRUE(bitwise_equal(reader.read_frames(s, 0, info.shape.frames), d.frames)) << s;
    const SequenceMeta m = reader.meta(s);
    EXPECT_EQ(m.eta, d.meta.eta);
    EXPECT_EQ(m.mean_phi, d.meta.mean_phi);
    EXPECT_EQ(m.amplitude, d.meta.amplitude);
    EXPECT_EQ(m.seed, d.meta.seed);
    const auto energies = reader.energies(s);
    ASSERT_EQ(energies.size(), d.energies.size());
    for (size_t t = 0; t < energies.size(); ++t) {
      EXPECT_EQ(energies[t].grad, d.energies[t].grad);
      EXPECT_EQ(energies[t].w, d.energies[t].w);
      EXPECT_EQ(energies[t].rho, d.energies[t].rho);
      EXPECT_EQ(energies[t].f, d.energies[t].f);
      EXPECT_EQ(energies[t].total, d.energies[t].total);
    }
  }
}

TEST(Dataset, RoundTripsAllDataAndAttributes) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = tiny_info();
  test::write_tiny_dataset(path, info);
  EXPECT_TRUE(file_exists(path));
  EXPECT_FALSE(file_exists(partial_path(path)));

  const DatasetReader reader(path);
  EXPECT_TRUE(reader.is_csd_dataset());
  EXPECT_TRUE(reader.has_energies());
  const DatasetInfo& got = reader.info();
  EXPECT_EQ(got.shape.frames, 3);
  EXPECT_EQ(got.shape.size, 8);
  EXPECT_EQ(got.physics.grid_spacing, 0.5);
  EXPECT_EQ(got.physics.epsilon, 4.5);
  EXPECT_EQ(got.physics.mobility, 2.0);
  EXPECT_EQ(got.physics.dt, 0.02);
  EXPECT_EQ(got.physics.steps_per_frame, 50);
  EXPECT_EQ(got.physics.c11, 2.0e4);
  EXPECT_EQ(got.physics.c12, 1.2e4);
  EXPECT_EQ(got.physics.c44, 2.5e4);
  EXPECT_EQ(got.noise, 1e-3);
  EXPECT_EQ(got.config_json, info.config_json);
  EXPECT_EQ(got.csd_version, "0.1.0-test");
  EXPECT_EQ(got.source, "solver");
  EXPECT_EQ(reader.completed(), std::vector<bool>(4, true));
  expect_contents(path, info);
}

TEST(Dataset, HyperslabReadsReturnTheRequestedFrames) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = tiny_info(3, 5, 8);
  test::write_tiny_dataset(path, info);
  const DatasetReader reader(path);
  const auto all = tiny_sequence(2, info).frames;
  const size_t frame = 64;
  const auto middle = reader.read_frames(2, 1, 3);
  EXPECT_TRUE(bitwise_equal(middle, {all.begin() + frame, all.begin() + 4 * frame}));
  const auto last = reader.read_frame(2, 4);
  EXPECT_TRUE(bitwise_equal(last, {all.begin() + 4 * frame, all.end()}));
  EXPECT_TRUE(contains(error_of([&] { reader.read_frames(2, 3, 3); }), "outside [0, 5)"));
  EXPECT_TRUE(contains(error_of([&] { reader.read_frame(3, 0); }), "sequence 3"));
}

TEST(Dataset, KilledRunLeavesPartialFileThatResumesToTheSameBytes) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info();
  const std::string reference = dir.file("reference.h5");
  test::write_tiny_dataset(reference, info);

  ensure_directory(dir.file("run"));
  const std::string path = dir.file("run/reference.h5");
  {
    DatasetWriter writer(path, info, Mode::kCreate);
    write_tiny(writer, 0, info);
    write_tiny(writer, 1, info);
  }  // destroyed without finish(): the process "dies" here
  EXPECT_FALSE(file_exists(path));
  ASSERT_TRUE(file_exists(partial_path(path)));
  {
    const DatasetReader partial(partial_path(path));
    EXPECT_EQ(partial.completed(), (std::vector<bool>{true, true, false, false}));
    // Never-written frames read as NaN (the fill value), never as plausible zeros.
    EXPECT_TRUE(std::isnan(partial.read_frame(2, 0)[0]));
  }
  {
    DatasetWriter writer(path, info, Mode::kResume);
    EXPECT_EQ(writer.completed(), (std::vector<bool>{true, true, false, false}));
    EXPECT_EQ(writer.stored_meta(1).seed, tiny_sequence(1, info).meta.seed);
    write_tiny(writer, 2, info);
    write_tiny(writer, 3, info);
    writer.finish();
  }
  EXPECT_FALSE(file_exists(partial_path(path)));
  expect_contents(path, info);
  EXPECT_EQ(test::read_bytes(path), test::read_bytes(reference));
}

TEST(Dataset, ProcessKilledWithoutCleanupIsResumable) {
  // A real kill: the child process dies by SIGKILL with the file still open, no
  // destructor or HDF5 close runs. Only the per-sequence flushes protect the data.
  test::TempDir dir;
  const DatasetInfo info = tiny_info();
  const std::string path = dir.file("killed.h5");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    try {
      auto* writer = new DatasetWriter(path, info, Mode::kCreate);  // never deleted
      write_tiny(*writer, 0, info);
      write_tiny(*writer, 1, info);
    } catch (...) {
      ::_exit(1);  // never return into the test runner from the child
    }
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_FALSE(file_exists(path));
  {
    DatasetWriter writer(path, info, Mode::kResume);
    EXPECT_EQ(writer.completed(), (std::vector<bool>{true, true, false, false}));
    write_tiny(writer, 2, info);
    write_tiny(writer, 3, info);
    writer.finish();
  }
  expect_contents(path, info);
}

TEST(Dataset, SameContentsWrittenLaterGiveIdenticalBytes) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(2, 2, 8);
  test::write_tiny_dataset(dir.file("a.h5"), info);
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a new time stamp second
  test::write_tiny_dataset(dir.file("b.h5"), info);
  const std::string a = test::read_bytes(dir.file("a.h5"));
  EXPECT_GT(a.size(), 1000u);
  EXPECT_EQ(a, test::read_bytes(dir.file("b.h5")));
}

TEST(Dataset, OutOfOrderAndThreadedWritesGiveTheInOrderBytes) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(6, 2, 8);
  test::write_tiny_dataset(dir.file("ordered.h5"), info);
  {
    DatasetWriter writer(dir.file("reversed.h5"), info, Mode::kCreate);
    for (int s = 5; s >= 1; --s) write_tiny(writer, s, info);
    EXPECT_EQ(writer.waiting_sequences(), 5);
    EXPECT_EQ(writer.completed(), std::vector<bool>(6, false));
    write_tiny(writer, 0, info);
    EXPECT_EQ(writer.waiting_sequences(), 0);
    writer.finish();
  }
  {
    DatasetWriter writer(dir.file("threaded.h5"), info, Mode::kCreate);
    std::vector<std::thread> workers;
    for (int w = 0; w < 3; ++w)
      workers.emplace_back([&, w] {
        for (int s = 5 - w; s >= 0; s -= 3) write_tiny(writer, s, info);
      });
    for (auto& worker : workers) worker.join();
    writer.finish();
  }
  const std::string ordered = test::read_bytes(dir.file("ordered.h5"));
  EXPECT_EQ(ordered, test::read_bytes(dir.file("reversed.h5")));
  EXPECT_EQ(ordered, test::read_bytes(dir.file("threaded.h5")));
}

TEST(Dataset, ReorderLimitZeroWritesImmediately) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(3, 2, 8);
  const std::string path = dir.file("data.h5");
  DatasetWriter writer(path, info, Mode::kCreate, 0);
  write_tiny(writer, 2, info);
  EXPECT_EQ(writer.waiting_sequences(), 0);
  EXPECT_EQ(writer.completed(), (std::vector<bool>{false, false, true}));
  write_tiny(writer, 0, info);
  write_tiny(writer, 1, info);
  writer.finish();
  expect_contents(path, info);
}

TEST(Dataset, CreateRefusesExistingFinalOrPartialFile) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(1, 1, 8);
  const std::string path = dir.file("data.h5");
  test::write_tiny_dataset(path, info);
  const std::string old_bytes = test::read_bytes(path);
  EXPECT_TRUE(contains(error_of([&] { DatasetWriter(path, info, Mode::kCreate); }), "--overwrite"));
  EXPECT_EQ(test::read_bytes(path), old_bytes);

  const std::string other = dir.file("other.h5");
  { DatasetWriter interrupted(other, info, Mode::kCreate); }
  const std::string message = error_of([&] { DatasetWriter(other, info, Mode::kCreate); });
  EXPECT_TRUE(contains(message, "--resume")) << message;
  EXPECT_TRUE(contains(message, ".part")) << message;
}

TEST(Dataset, OverwriteKeepsTheOldFileUntilFinishSucceeds) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo old_info = tiny_info(2, 2, 8);
  test::write_tiny_dataset(path, old_info);
  const std::string old_bytes = test::read_bytes(path);

  const DatasetInfo new_info = tiny_info(3, 2, 8);
  {
    DatasetWriter writer(path, new_info, Mode::kOverwrite);
    write_tiny(writer, 0, new_info);
    EXPECT_EQ(test::read_bytes(path), old_bytes);
    EXPECT_TRUE(contains(error_of([&] { writer.finish(); }), "1, 2"));  // names the missing
    EXPECT_EQ(test::read_bytes(path), old_bytes);
  }
  EXPECT_EQ(test::read_bytes(path), old_bytes);
  EXPECT_EQ(DatasetReader(path).shape().sequences, 2);

  test::write_tiny_dataset(path, new_info, Mode::kOverwrite);
  EXPECT_EQ(DatasetReader(path).shape().sequences, 3);
  expect_contents(path, new_info);
}

TEST(Dataset, ResumeRefusesMismatchesNamingTheField) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = tiny_info();
  {
    DatasetWriter writer(path, info, Mode::kCreate);
    write_tiny(writer, 0, info);
  }
  DatasetInfo other = info;
  other.shape.frames = 4;
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(path, other, Mode::kResume); }), "number of frames"));
  other = info;
  other.shape.size = 16;
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(path, other, Mode::kResume); }), "grid size N"));
  other = info;
  other.physics.epsilon = 5.0;
  const std::string message = error_of([&] { DatasetWriter(path, other, Mode::kResume); });
  EXPECT_TRUE(contains(message, "epsilon")) << message;
  EXPECT_TRUE(contains(message, "file 4.5")) << message;
  other = info;
  other.physics.c44 = 3e4;
  EXPECT_TRUE(contains(error_of([&] { DatasetWriter(path, other, Mode::kResume); }), "C44"));
  other = info;
  other.noise = 0;
  EXPECT_TRUE(contains(error_of([&] { DatasetWriter(path, other, Mode::kResume); }), "noise"));
  other = info;
  other.physics.steps_per_frame = 100;
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(path, other, Mode::kResume); }), "steps_per_frame"));
  // The failed attempts left the partial file usable.
  DatasetWriter writer(path, info, Mode::kResume);
  EXPECT_EQ(writer.completed(), (std::vector<bool>{true, false, false, false}));
}

TEST(Dataset, AShardHoldsOnlyItsSequencesInOrderAndFinishesWithThem) {
  test::TempDir dir;
  const std::string path = dir.file("shard.h5");
  DatasetInfo info = tiny_info(5);
  info.shard = {1, 2};  // sequences 1 and 3
  {
    DatasetWriter writer(path, info, Mode::kCreate, /*reorder_limit_bytes=*/1 << 20);
    EXPECT_TRUE(contains(error_of([&] { write_tiny(writer, 2, info); }), "not in shard 1/2"));
    write_tiny(writer, 3, info);
    EXPECT_EQ(writer.waiting_sequences(), 1);  // waits for 1, not for 0 or 2
    write_tiny(writer, 1, info);
    EXPECT_EQ(writer.waiting_sequences(), 0);
    writer.finish();  // complete without 0, 2 and 4
  }
  const DatasetReader reader(path);
  EXPECT_EQ(reader.info().shard.text(), "1/2");
  EXPECT_EQ(reader.completed(), (std::vector<bool>{false, true, false, true, false}));
  EXPECT_TRUE(bitwise_equal(reader.read_frames(3, 0, 3), tiny_sequence(3, info).frames));
  // A resume must name the same shard.
  const std::string part = dir.file("part.h5");
  { DatasetWriter writer(part, info, Mode::kCreate); }
  DatasetInfo other = info;
  other.shard = {0, 2};
  const std::string message = error_of([&] { DatasetWriter(part, other, Mode::kResume); });
  EXPECT_TRUE(contains(message, "shard differs (file 1/2, requested 0/2)")) << message;
  other.shard = {2, 2};
  EXPECT_TRUE(contains(error_of([&] { DatasetWriter(dir.file("bad.h5"), other, Mode::kCreate); }),
                       "not I/N"));
}

TEST(Dataset, ResumeWithoutPartialFileExplains) {
  test::TempDir dir;
  const std::string path = dir.file("data.h5");
  const DatasetInfo info = tiny_info(1, 1, 8);
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(path, info, Mode::kResume); }), "nothing to resume"));
  test::write_tiny_dataset(path, info);
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(path, info, Mode::kResume); }), "already finished"));
}

TEST(Dataset, UnwritableDestinationFailsBeforeAnyWork) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(1, 1, 8);
  const std::string missing_dir = dir.file("no/such/dir/data.h5");
  EXPECT_TRUE(contains(error_of([&] { DatasetWriter(missing_dir, info, Mode::kCreate); }),
                       "does not exist"));
  test::write_bytes(dir.file("plain"), "x");
  EXPECT_TRUE(
      contains(error_of([&] { DatasetWriter(dir.file("plain/data.h5"), info, Mode::kCreate); }),
               "not a directory"));
  // Unwritable even for root: HDF5's own failure must come back as a csd::Error.
  if (file_exists("/proc/self")) {
    const std::string message =
        error_of([&] { DatasetWriter("/proc/csd_test.h5", info, Mode::kCreate); });
    EXPECT_TRUE(contains(message, "/proc/csd_test.h5.part")) << message;
    EXPECT_TRUE(contains(message, "cannot create")) << message;
  }
}

TEST(Dataset, ReadOnlyDirectoryFailsBeforeAnyWork) {
  // Checked as "nobody" in a child process, so it runs (and can fail) under root too.
  test::TempDir dir;
  const DatasetInfo info = tiny_info(1, 1, 8);
  ::chmod(dir.path().c_str(), 0755);
  ensure_directory(dir.file("locked"));
  ensure_directory(dir.file("open"));
  ::chmod(dir.file("locked").c_str(), 0555);
  ::chmod(dir.file("open").c_str(), 0777);
  const auto create_in = [&](const std::string& folder) {
    return test::run_unprivileged([&] {
      try {
        DatasetWriter(dir.file(folder + "/data.h5"), info, Mode::kCreate);
        return std::string("created");
      } catch (const Error& e) {
        return std::string(e.what());
      }
    });
  };
  EXPECT_EQ(create_in("open"), "created");  // the same user may create where it is allowed
  const std::string refused = create_in("locked");
  EXPECT_TRUE(contains(refused, "not writable")) << refused;
  EXPECT_TRUE(std::filesystem::is_empty(dir.file("locked")));
}

TEST(Dataset, WriteSequenceRejectsBadInput) {
  test::TempDir dir;
  const DatasetInfo info = tiny_info(2, 2, 8);
  DatasetWriter writer(dir.file("data.h5"), info, Mode::kCreate);
  test::SequenceData d = tiny_sequence(0, info);
  EXPECT_TRUE(contains(error_of([&] { writer.write_sequence(2, d.meta, d.frames, d.energies); }),
                       "outside [0, 2)"));
  auto short_frames = d.frames;
  short_frames.pop_back();
  EXPECT_TRUE(contains(
      error_of([&] { writer.write_sequence(0, d.meta, short_frames, d.energies); }), "T*N*N"));
  auto nan_frames = d.frames;
  nan_frames[64 + 8 * 3 + 5] = NAN;
  const std::string nan_error =
      error_of([&] { writer.write_sequence(0, d.meta, nan_frames, d.energies); });
  EXPECT_TRUE(contains(nan_error, "sequence 0, frame 1: NaN at pixel (5, 3)")) << nan_error;
  // The writer serves the solver and the surrogate alike: no solver advice here.
  EXPECT_FALSE(contains(nan_error, "dt")) << nan_error;
  writer.write_sequence(0, d.meta, d.frames, d.energies);
  EXPECT_TRUE(contains(error_of([&] { writer.write_sequence(0, d.meta, d.frames, d.energies); }),
                       "already written"));
}

// ---- reading files that are not (quite) csd datasets ---------------------------------

TEST(DatasetReaderErrors, AFileLockedByAnotherProcessIsNamed) {
  // HDF5 takes a flock() on open; a lock held elsewhere made it fail with the bare
  // "Resource temporarily unavailable". flock locks belong to the open file, so a lock
  // taken here on a second descriptor blocks this process's HDF5 like another process's.
  test::TempDir dir;
  const std::string path = dir.file("locked.h5");
  test::write_tiny_dataset(path, tiny_info());
  const int fd = ::open(path.c_str(), O_RDWR);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string reading = error_of([&] { DatasetReader{path}; });
  EXPECT_TRUE(contains(reading, path) && contains(reading, "another process")) << reading;
  ::flock(fd, LOCK_UN);
  ::close(fd);
  EXPECT_NO_THROW(DatasetReader{path});
}

TEST(DatasetReaderErrors, MissingFileAndNonHdf5File) {
  test::TempDir dir;
  EXPECT_TRUE(contains(error_of([&] { DatasetReader(dir.file("none.h5")); }), "does not exist"));
  test::write_bytes(dir.file("text.h5"), "this is not HDF5\n");
  EXPECT_TRUE(contains(error_of([&] { DatasetReader(dir.file("text.h5")); }), "not an HDF5 file"));
}

TEST(DatasetReaderErrors, MissingOrMisshapenRequiredParts) {
  test::TempDir dir;
  const std::string no_phi = dir.file("no_phi.h5");
  write_float_dataset(no_phi, "other", std::vector<float>(4, 0.5f), {2, 2});
  const std::string m1 = error_of([&] { DatasetReader{no_phi}; });
  EXPECT_TRUE(contains(m1, "no dataset 'phi'")) << m1;

  const std::string rank3 = dir.file("rank3.h5");
  write_float_dataset(rank3, "phi", std::vector<float>(3 * 64, 0.5f), {3, 8, 8});
  const std::string m2 = error_of([&] { DatasetReader{rank3}; });
  EXPECT_TRUE(contains(m2, "[3, 8, 8]")) << m2;
  EXPECT_TRUE(contains(m2, "[S, T, N, N]")) << m2;

  const std::string no_eta = dir.file("no_eta.h5");
  write_float_dataset(no_eta, "phi", std::vector<float>(2 * 64, 0.5f), {2, 1, 8, 8});
  EXPECT_TRUE(contains(error_of([&] { DatasetReader{no_eta}; }), "no dataset 'eta'"));

  write_float_dataset(no_eta, "eta", {0.001f, 0.002f, 0.003f}, {3});
  const std::string m3 = error_of([&] { DatasetReader{no_eta}; });
  EXPECT_TRUE(contains(m3, "'eta' has shape [3]")) << m3;
}

TEST(DatasetReaderErrors, ForeignFileWithPhiAndEtaIsAcceptedWithDefaults) {
  test::TempDir dir;
  const std::string path = dir.file("foreign.h5");
  std::vector<float> phi(2 * 3 * 16);
  for (size_t k = 0; k < phi.size(); ++k) phi[k] = 0.25f + 0.5f * static_cast<float>(k % 2);
  phi[0] = 0.75f;  // frame 0 of sequence 0: mean (0.75 + 7·0.75 + 8·0.25)/16 = 0.5 + 0.5/16
  write_float_dataset(path, "phi", phi, {2, 3, 4, 4});
  write_float_dataset(path, "eta", {0.004f, 0.008f}, {2});
  const DatasetReader reader(path);
  EXPECT_FALSE(reader.is_csd_dataset());
  EXPECT_FALSE(reader.has_energies());
  EXPECT_EQ(reader.info().source, "foreign");
  EXPECT_EQ(reader.info().physics.epsilon, physics::Params{}.epsilon);
  EXPECT_EQ(reader.completed(), std::vector<bool>(2, true));
  EXPECT_TRUE(reader.energies(1).empty());
  const SequenceMeta m = reader.meta(0);
  EXPECT_FLOAT_EQ(static_cast<float>(m.eta), 0.004f);
  EXPECT_NEAR(m.mean_phi, 0.5 + 0.5 / 16, 1e-7);
  EXPECT_TRUE(std::isnan(m.amplitude));
  EXPECT_EQ(reader.read_frame(1, 2).size(), 16u);
}

// ---- read_field ---------------------------------------------------------------------

TEST(ReadField, ReadsTheRequestedFrameOfRank2To4Datasets) {
  test::TempDir dir;
  const std::string path = dir.file("fields.h5");
  std::vector<float> values(2 * 3 * 16);
  for (size_t k = 0; k < values.size(); ++k) values[k] = static_cast<float>(k);
  write_float_dataset(path, "seq", values, {2, 3, 4, 4});
  write_float_dataset(path, "movie", {values.begin(), values.begin() + 48}, {3, 4, 4});
  write_float_dataset(path, "still", {values.begin(), values.begin() + 16}, {4, 4});
  int n = 0;
  const auto f4 = read_field(path, "seq", 1, 2, &n);
  EXPECT_EQ(n, 4);
  EXPECT_EQ(f4.front(), 5 * 16);  // sequence 1, frame 2 = frame 5 overall
  EXPECT_EQ(f4.back(), 6 * 16 - 1);
  EXPECT_EQ(read_field(path, "movie", 0, 1, nullptr).front(), 16);
  EXPECT_EQ(read_field(path, "still", 9, 9, nullptr).back(), 15);  // indices unused
  EXPECT_TRUE(
      contains(error_of([&] { read_field(path, "seq", 2, 0, nullptr); }), "sequence index 2"));
  EXPECT_TRUE(contains(error_of([&] { read_field(path, "movie", 0, 3, nullptr); }), "frame 3"));
}

TEST(ReadField, RejectsNonFiniteValuesMissingDatasetsAndBadShapes) {
  test::TempDir dir;
  const std::string path = dir.file("fields.h5");
  std::vector<float> values(16, 0.5f);
  values[4 * 2 + 3] = NAN;
  write_float_dataset(path, "bad", values, {4, 4});
  write_float_dataset(path, "line", std::vector<float>(8, 0.f), {8});
  write_float_dataset(path, "oblong", std::vector<float>(8, 0.f), {2, 4});
  const std::string m = error_of([&] { read_field(path, "bad", 0, 0, nullptr); });
  EXPECT_TRUE(contains(m, path)) << m;
  EXPECT_TRUE(contains(m, "'bad'")) << m;
  EXPECT_TRUE(contains(m, "NaN at pixel (3, 2)")) << m;
  EXPECT_TRUE(contains(error_of([&] { read_field(path, "absent", 0, 0, nullptr); }),
                       "no dataset 'absent'"));
  EXPECT_TRUE(contains(error_of([&] { read_field(path, "line", 0, 0, nullptr); }), "[8]"));
  EXPECT_TRUE(contains(error_of([&] { read_field(path, "oblong", 0, 0, nullptr); }), "non-square"));
  EXPECT_TRUE(contains(error_of([&] {
                         write_float_dataset(path, "bad", values, {4, 4});
                       }),
                       "already has"));
}

}  // namespace
}  // namespace csd::io

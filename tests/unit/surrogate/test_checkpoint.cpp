// Checkpoint integrity: the weights digest stored on save is checked on every read, so a
// damaged file is refused instead of loading wrong weights; files that are not csd
// checkpoints are named as such, not as damaged ones.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "csd/io/dataset.h"
#include "csd/surrogate/surrogate.h"
#include "surrogate/checkpoint.h"
#include "surrogate_fixtures.h"
#include "temp_dir.h"

namespace csd::surrogate::detail {
namespace {

using test::error_of;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

Checkpoint small_checkpoint() {
  ModelConfig config;
  config.hidden = 8;
  torch::manual_seed(5);
  Crnn model(config);
  return make_checkpoint(model, nullptr, Json{{"model", config.to_json()}});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST(Checkpoint, SavedDigestMatchesTheWeightsAndSurvivesARoundTrip) {
  test::TempDir dir;
  const Checkpoint c = small_checkpoint();
  save_checkpoint(dir.file("a.pt"), c);
  const Checkpoint back = read_checkpoint(dir.file("a.pt"));
  ASSERT_TRUE(back.meta.contains(kWeightsDigestKey));
  EXPECT_EQ(back.meta.at(kWeightsDigestKey), tensor_digest(c.weights));
  EXPECT_EQ(back.meta.at(kWeightsDigestKey).get<std::string>().rfind("fnv1a64:", 0), 0u);
  // The digest depends on the values, the names and the shapes.
  auto changed = c.weights;
  auto& first = changed.begin()->second;
  first = first.clone();
  first.view(-1)[0] += 1e-6f;
  EXPECT_NE(tensor_digest(changed), tensor_digest(c.weights));
  auto reshaped = c.weights;
  reshaped.begin()->second = reshaped.begin()->second.reshape({1, -1});
  EXPECT_NE(tensor_digest(reshaped), tensor_digest(c.weights));
}

TEST(Checkpoint, OneFlippedByteInTheWeightsIsRefused) {
  test::TempDir dir;
  const Checkpoint c = small_checkpoint();
  const std::string path = dir.file("damaged.pt");
  save_checkpoint(path, c);
  std::string bytes = test::read_bytes(path);

  // Find the raw bytes of the largest tensor in the file and flip one in its middle.
  const torch::Tensor* largest = nullptr;
  for (const auto& item : c.weights)
    if (!largest || item.second.numel() > largest->numel()) largest = &item.second;
  ASSERT_NE(largest, nullptr);
  const auto* data = static_cast<const char*>(largest->data_ptr());
  const std::string raw(data, data + largest->nbytes());
  const auto at = bytes.find(raw);
  ASSERT_NE(at, std::string::npos) << "tensor data not found verbatim in the file";
  bytes[at + raw.size() / 2] ^= 0x01;
  write_bytes(path, bytes);

  const std::string message = error_of([&] { read_checkpoint(path); });
  EXPECT_TRUE(contains(message, "damaged") && contains(message, "digest") &&
              contains(message, path))
      << message;
}

TEST(Checkpoint, ACheckpointWithoutDigestStillLoads) {
  // Written as csd did before digests: the same dict with the digest left out of meta.
  test::TempDir dir;
  const Checkpoint c = small_checkpoint();
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  dict.insert("format", std::string(kCheckpointFormat));
  dict.insert("version", static_cast<int64_t>(kCheckpointVersion));
  dict.insert("meta", c.meta.dump());
  c10::Dict<std::string, torch::Tensor> weights;
  for (const auto& [name, tensor] : c.weights) weights.insert(name, tensor);
  dict.insert("weights", weights);
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
  write_bytes(dir.file("old.pt"), std::string(bytes.begin(), bytes.end()));

  const Checkpoint back = read_checkpoint(dir.file("old.pt"));
  EXPECT_FALSE(back.meta.contains(kWeightsDigestKey));
  EXPECT_EQ(tensor_digest(back.weights), tensor_digest(c.weights));
}

/// The message of read_checkpoint(path), which must say it is not a csd checkpoint.
void expect_not_a_checkpoint(const std::string& path, const std::string& why) {
  const std::string message = error_of([&] { read_checkpoint(path); });
  EXPECT_TRUE(contains(message, "is not a csd checkpoint") && contains(message, why) &&
              contains(message, path) && !contains(message, "damaged"))
      << message;
}

TEST(Checkpoint, ForeignFilesAreNamedAsNotACheckpoint) {
  test::TempDir dir;
  write_bytes(dir.file("empty.h5"), "");
  expect_not_a_checkpoint(dir.file("empty.h5"), "empty");
  write_bytes(dir.file("random.h5"), std::string("\x13\x37 random bytes, not an archive", 32));
  expect_not_a_checkpoint(dir.file("random.h5"), "not a LibTorch/PyTorch");
  io::write_float_dataset(dir.file("data.h5"), "phi", std::vector<float>(16, 0.5f), {4, 4});
  expect_not_a_checkpoint(dir.file("data.h5"), "HDF5");

  // A torch archive of a one-entry dict (what torch.save({"a": t}) writes).
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  dict.insert("a", torch::zeros({3}));
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));
  write_bytes(dir.file("one.pt"), std::string(bytes.begin(), bytes.end()));
  expect_not_a_checkpoint(dir.file("one.pt"), "missing the expected entries");

  // The same written by Python's torch.save, when a Python with torch is installed.
  const std::string python_file = dir.file("python.pt");
  const std::string command =
      "/usr/bin/python3 -c \"import torch; torch.save({'a': torch.zeros(3)}, '" + python_file +
      "')\" >/dev/null 2>&1";
  if (std::system(command.c_str()) == 0)
    expect_not_a_checkpoint(python_file, "expected entries");

  // A directory.
  const std::string message = error_of([&] { read_checkpoint(dir.path()); });
  EXPECT_TRUE(contains(message, "is a directory")) << message;
}

TEST(Checkpoint, ANonFiniteInitialFieldIsNamedByPixel) {
  test::TempDir dir;
  save_checkpoint(dir.file("m.pt"), small_checkpoint());
  const Surrogate model = Surrogate::load(dir.file("m.pt"), {"cpu", 1});
  const int n = 16;
  std::vector<float> phi0(2 * n * n, 0.5f);
  phi0[n * n + 165] = std::numeric_limits<float>::quiet_NaN();  // field 1, row 10, column 5
  const std::string message =
      error_of([&] { model.rollout_batch(phi0, 2, n, {0.004, 0.004}, 2); });
  EXPECT_TRUE(contains(message, "NaN at pixel (5, 10)") && contains(message, "field 1 of 2") &&
              !contains(message, "165"))
      << message;
}

}  // namespace
}  // namespace csd::surrogate::detail

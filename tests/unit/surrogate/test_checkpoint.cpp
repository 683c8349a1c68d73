// Checkpoint integrity: the weights digest stored on save is checked on every read, so a
// damaged file is refused instead of loading wrong weights.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "csd/core/error.h"
#include "csd/surrogate/detail/checkpoint.h"
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

}  // namespace
}  // namespace csd::surrogate::detail

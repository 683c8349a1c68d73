#include "checkpoint.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>

#include "csd/core/error.h"
#include "csd/core/hash.h"
#include "csd/io/fs.h"

namespace csd::surrogate::detail {
namespace {

/// Keys of the optimizer dict for parameter `name`.
std::string moment_key(const std::string& name, const char* what) { return name + "." + what; }

/// Adam keeps its per-parameter state under the address of the TensorImpl.
std::string optimizer_state_key(const torch::Tensor& parameter) {
  return c10::guts::to_string(parameter.unsafeGetTensorImpl());
}

std::string shape_of(const torch::Tensor& t) {
  std::ostringstream s;
  s << t.sizes();
  return s.str();
}

std::string architecture_of(const ModelConfig& c) {
  return "hidden " + std::to_string(c.hidden) + ", kernel " + std::to_string(c.kernel) +
         ", layers " + std::to_string(c.layers);
}

c10::Dict<std::string, torch::Tensor> to_dict(const std::map<std::string, torch::Tensor>& map) {
  c10::Dict<std::string, torch::Tensor> dict;
  for (const auto& [name, tensor] : map) dict.insert(name, tensor);
  return dict;
}

std::map<std::string, torch::Tensor> tensor_map(const c10::IValue& value, const std::string& what,
                                                const std::string& path) {
  require(value.isGenericDict(), "checkpoint '" + path + "': '" + what + "' is not a dict");
  std::map<std::string, torch::Tensor> map;
  for (const auto& item : value.toGenericDict()) {
    require(item.key().isString() && item.value().isTensor(),
            "checkpoint '" + path + "': '" + what + "' must map names to tensors");
    map.emplace(item.key().toStringRef(), item.value().toTensor());
  }
  return map;
}

const char* const kWhatCheckpointsAre = "checkpoints are the .pt files written by `csd train`";

std::vector<char> read_all(const std::string& path) {
  io::require_file(path, std::string("give a checkpoint: ") + kWhatCheckpointsAre);
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "cannot read checkpoint '" + path +
                                     "': not readable (permissions?); " + kWhatCheckpointsAre);
  return std::vector<char>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Checks the stored digests against the weights and optimizer state as read; a
/// checkpoint from before digests existed loads with one warning per path and process.
void verify_digests(const Checkpoint& c, const std::string& path) {
  const auto it = c.meta.find(kWeightsDigestKey);
  if (it == c.meta.end()) {
    static std::mutex mutex;
    static std::set<std::string> warned;
    std::lock_guard<std::mutex> lock(mutex);
    if (warned.insert(path).second)
      spdlog::warn("checkpoint '{}' has no weights digest (saved before csd stored one), so "
                   "damage to its weights cannot be detected; loading it anyway",
                   path);
    return;
  }
  auto check = [&](const Json& stored_json, const std::map<std::string, torch::Tensor>& tensors,
                   const std::string& what) {
    const std::string stored =
        stored_json.is_string() ? stored_json.get<std::string>() : stored_json.dump();
    const std::string computed = tensor_digest(tensors);
    require(stored == computed,
            "checkpoint '" + path + "' is damaged: the digest of its " + what + " is " +
                computed + " but the digest stored when it was saved is " + stored + " (" +
                what + " digest mismatch); use an intact copy or retrain");
  };
  check(*it, c.weights, "weights");
  const auto optimizer = c.meta.find(kOptimizerDigestKey);
  if (optimizer != c.meta.end()) check(*optimizer, c.optimizer, "optimizer state");
}

bool starts_with(const std::vector<char>& bytes, const std::string& prefix) {
  return bytes.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), bytes.begin());
}

std::string not_a_checkpoint(const std::string& path, const std::string& why) {
  return "'" + path + "' is not a csd checkpoint (" + why + "); " + kWhatCheckpointsAre;
}

/// Turns the file into the pickled value, telling a foreign file from a damaged one.
c10::IValue unpickle(const std::vector<char>& bytes, const std::string& path) {
  require(!bytes.empty(), not_a_checkpoint(path, "the file is empty"));
  // torch.save / torch::pickle_save write a zip archive; anything else is foreign.
  if (!starts_with(bytes, std::string("PK\x03\x04", 4))) {
    const bool hdf5 = starts_with(bytes, std::string("\x89HDF\r\n\x1a\n", 8));
    throw Error(not_a_checkpoint(
        path, hdf5 ? "it is an HDF5 file, e.g. a dataset, not a LibTorch/PyTorch archive"
                   : "it is not a LibTorch/PyTorch (TorchScript zip) archive"));
  }
  try {
    return torch::pickle_load(bytes);
  } catch (const c10::Error& e) {
    // The format tag is stored as plain text in the archive's data.pkl: present, the
    // file was written by csd and is damaged; absent, it is someone else's archive.
    const std::string tag = kCheckpointFormat;
    if (std::search(bytes.begin(), bytes.end(), tag.begin(), tag.end()) == bytes.end())
      throw Error(not_a_checkpoint(
          path, "a LibTorch/PyTorch archive missing the expected entries: format, version, "
                "meta, weights"));
    throw Error("checkpoint '" + path + "' is damaged and cannot be read (" +
                e.what_without_backtrace() + "); use an intact copy or retrain");
  }
}

}  // namespace

std::string tensor_digest(const std::map<std::string, torch::Tensor>& weights) {
  Fnv1a64 h;
  h.add_u64(weights.size());
  for (const auto& [name, tensor] : weights) {  // std::map: sorted by name
    const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
    h.add_u64(name.size());
    h.add(name);
    const std::string dtype = c10::toString(t.scalar_type());
    h.add_u64(dtype.size());
    h.add(dtype);
    h.add_u64(static_cast<std::uint64_t>(t.dim()));
    for (const int64_t size : t.sizes()) h.add_u64(static_cast<std::uint64_t>(size));
    h.add_u64(t.nbytes());
    h.add(t.data_ptr(), t.nbytes());
  }
  return "fnv1a64:" + h.hex();
}

Checkpoint make_checkpoint(Crnn& model, const torch::optim::Adam* optimizer, Json meta) {
  Checkpoint c;
  c.meta = std::move(meta);
  auto portable = [](const torch::Tensor& t) { return t.detach().to(torch::kCPU).contiguous().clone(); };
  for (const auto& item : model->named_parameters()) c.weights[item.key()] = portable(item.value());
  for (const auto& item : model->named_buffers()) c.weights[item.key()] = portable(item.value());
  if (optimizer == nullptr) return c;
  const auto& state = optimizer->state();
  for (const auto& item : model->named_parameters()) {
    auto it = state.find(optimizer_state_key(item.value()));
    if (it == state.end()) continue;  // parameter not stepped yet
    const auto& adam = static_cast<const torch::optim::AdamParamState&>(*it->second);
    c.optimizer[moment_key(item.key(), "exp_avg")] = portable(adam.exp_avg());
    c.optimizer[moment_key(item.key(), "exp_avg_sq")] = portable(adam.exp_avg_sq());
    c.optimizer[moment_key(item.key(), "step")] = torch::tensor(adam.step(), torch::kInt64);
  }
  return c;
}

void save_checkpoint(const std::string& path, const Checkpoint& checkpoint) {
  c10::impl::GenericDict dict(c10::StringType::get(), c10::AnyType::get());
  dict.insert("format", std::string(kCheckpointFormat));
  dict.insert("version", static_cast<int64_t>(kCheckpointVersion));
  Json meta = checkpoint.meta;
  meta[kWeightsDigestKey] = tensor_digest(checkpoint.weights);
  meta.erase(kOptimizerDigestKey);
  if (!checkpoint.optimizer.empty())
    meta[kOptimizerDigestKey] = tensor_digest(checkpoint.optimizer);
  dict.insert("meta", meta.dump());
  dict.insert("weights", to_dict(checkpoint.weights));
  if (!checkpoint.optimizer.empty()) dict.insert("optimizer", to_dict(checkpoint.optimizer));
  const std::vector<char> bytes = torch::pickle_save(c10::IValue(dict));

  const std::string tmp = io::temporary_path(path);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(tmp, ec);
      throw Error("cannot write checkpoint '" + tmp + "' (disk full or no permission); choose "
                  "another --out directory");
    }
  }
  io::atomic_rename(tmp, path);
}

Checkpoint read_checkpoint(const std::string& path) {
  const c10::IValue value = unpickle(read_all(path), path);
  const std::string foreign = not_a_checkpoint(
      path, "missing the expected entries: format = \"" + std::string(kCheckpointFormat) +
                "\", version, meta, weights");
  require(value.isGenericDict(), foreign);
  const auto dict = value.toGenericDict();
  require(dict.contains("format") && dict.at("format").isString() &&
              dict.at("format").toStringRef() == kCheckpointFormat,
          foreign);
  require(dict.contains("version") && dict.at("version").isInt() &&
              dict.at("version").toInt() <= kCheckpointVersion,
          "checkpoint '" + path + "' is from a newer csd version; update csd");
  require(dict.contains("meta") && dict.contains("weights"), foreign);

  Checkpoint c;
  try {
    c.meta = Json::parse(dict.at("meta").toStringRef());
  } catch (const std::exception& e) {
    throw Error("checkpoint '" + path + "': meta is not valid JSON: " + e.what());
  }
  c.weights = tensor_map(dict.at("weights"), "weights", path);
  if (dict.contains("optimizer")) c.optimizer = tensor_map(dict.at("optimizer"), "optimizer", path);
  verify_digests(c, path);
  return c;
}

ModelConfig model_config_of(const Checkpoint& checkpoint, const std::string& path) {
  require(checkpoint.meta.contains("model"),
          "checkpoint '" + path + "' has no model configuration in its meta");
  try {
    Json section = checkpoint.meta.at("model");
    // Checkpoints from before output_scale existed computed μ̃ = w · features.
    if (section.is_object() && !section.contains("output_scale")) section["output_scale"] = 1.0;
    ModelConfig config = ModelConfig::from_json(section);
    config.validate();
    return config;
  } catch (const Error& e) {
    throw Error("checkpoint '" + path + "': " + e.what());
  }
}

void load_weights(Crnn& model, const Checkpoint& checkpoint, const std::string& path) {
  const std::string model_arch = architecture_of(model->config());
  std::map<std::string, torch::Tensor> expected;
  std::set<std::string> buffers;
  for (const auto& item : model->named_parameters()) expected[item.key()] = item.value();
  for (const auto& item : model->named_buffers()) {
    expected[item.key()] = item.value();
    buffers.insert(item.key());
  }

  for (const auto& [name, target] : expected) {
    auto it = checkpoint.weights.find(name);
    // Buffers (eta_scale, output_scale) are built from the model configuration; a
    // checkpoint written before one existed may omit it.
    if (it == checkpoint.weights.end() && buffers.count(name) == 1) continue;
    require(it != checkpoint.weights.end(),
            "checkpoint '" + path + "' has no weight '" + name + "': it was saved from another "
            "architecture than the model (" + model_arch + ")");
    require(it->second.sizes() == target.sizes(),
            "checkpoint '" + path + "': weight '" + name + "' has shape " + shape_of(it->second) +
                " but the model (" + model_arch + ") expects " + shape_of(target) +
                "; use the model configuration the checkpoint was trained with");
  }
  for (const auto& item : checkpoint.weights)
    require(expected.count(item.first) == 1,
            "checkpoint '" + path + "' has a weight '" + item.first + "' that the model (" +
                model_arch + ") does not have: it was saved from another architecture");

  torch::NoGradGuard no_grad;
  for (auto& [name, target] : expected)
    if (checkpoint.weights.count(name) == 1) target.copy_(checkpoint.weights.at(name));
}

void load_optimizer_state(torch::optim::Adam& optimizer, Crnn& model,
                          const Checkpoint& checkpoint, const std::string& path) {
  auto& state = optimizer.state();
  for (const auto& item : model->named_parameters()) {
    const auto& p = item.value();
    auto find = [&](const char* what) -> const torch::Tensor* {
      auto it = checkpoint.optimizer.find(moment_key(item.key(), what));
      return it == checkpoint.optimizer.end() ? nullptr : &it->second;
    };
    const torch::Tensor* avg = find("exp_avg");
    const torch::Tensor* avg_sq = find("exp_avg_sq");
    const torch::Tensor* step = find("step");
    if (!avg && !avg_sq && !step) continue;
    require(avg && avg_sq && step && avg->sizes() == p.sizes() && avg_sq->sizes() == p.sizes(),
            "checkpoint '" + path + "': optimizer state of '" + item.key() +
                "' is incomplete or has the wrong shape; resume from another checkpoint");
    auto adam = std::make_unique<torch::optim::AdamParamState>();
    // empty_like keeps the parameter's device and memory format (channels-last).
    adam->exp_avg(torch::empty_like(p).copy_(*avg));
    adam->exp_avg_sq(torch::empty_like(p).copy_(*avg_sq));
    adam->step(step->item<int64_t>());
    state[optimizer_state_key(p)] = std::move(adam);
  }
}

}  // namespace csd::surrogate::detail

#include "csd/core/json_config.h"

#include <cmath>
#include <map>
#include <set>
#include <fstream>
#include <sstream>

#include "csd/core/error.h"

namespace csd {

Json read_json_file(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "cannot read config '" + path + "': no such file or not readable");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::parse_error& e) {
    throw Error("config '" + path + "' is not valid JSON: " + e.what());
  }
}

void reject_unknown_keys(const Json& object, const std::vector<std::string>& allowed,
                         const std::string& section) {
  require(object.is_object(), "config section '" + section + "' must be a JSON object");
  for (const auto& item : object.items()) {
    bool known = false;
    for (const auto& key : allowed) known = known || item.key() == key;
    if (!known) {
      std::string list;
      for (const auto& key : allowed) list += std::string(list.empty() ? "" : ", ") + key;
      throw Error("unknown config key '" + section + "." + item.key() + "' (allowed: " + list +
                  ")");
    }
  }
}

void reject_unknown_keys(const Json& object, std::initializer_list<const char*> allowed,
                         const std::string& section) {
  reject_unknown_keys(object, std::vector<std::string>(allowed.begin(), allowed.end()), section);
}

Json section_or_empty(const Json& object, const std::string& section) {
  auto it = object.find(section);
  if (it == object.end()) return Json::object();
  require(it->is_object(), "config section '" + section + "' must be a JSON object");
  return *it;
}

void throw_bad_type(const std::string& section, const char* key, const char* got) {
  throw Error("config key '" + section + "." + key + "' has the wrong type (" + got + ")");
}

namespace {

[[noreturn]] void throw_out_of_range(const Json& item, const std::string& section,
                                     const char* key, const std::string& lo,
                                     const std::string& hi) {
  throw Error("config key '" + section + "." + key + "' = " + item.dump() +
              " is out of range: it must be a whole number from " + lo + " to " + hi);
}

/// A float that holds a whole number (1e3) is accepted; 32.5 is not.
double whole_float(const Json& item, const std::string& section, const char* key) {
  const double v = item.get<double>();
  if (!std::isfinite(v) || v != std::floor(v))
    throw Error("config key '" + section + "." + key + "' = " + item.dump() +
                " must be a whole number");
  return v;
}

}  // namespace

std::int64_t checked_integer(const Json& item, const std::string& section, const char* key,
                             std::int64_t lo, std::int64_t hi) {
  auto out_of_range = [&] {
    throw_out_of_range(item, section, key, std::to_string(lo), std::to_string(hi));
  };
  if (item.is_number_unsigned()) {
    const std::uint64_t v = item.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(hi)) out_of_range();
    return static_cast<std::int64_t>(v);
  }
  if (item.is_number_integer()) {
    const std::int64_t v = item.get<std::int64_t>();
    if (v < lo || v > hi) out_of_range();
    return v;
  }
  const double v = whole_float(item, section, key);
  // 2^63 is exact in double; lo and hi convert with at most rounding towards them.
  if (v < static_cast<double>(lo) || v >= 9223372036854775808.0 || v > static_cast<double>(hi))
    out_of_range();
  return static_cast<std::int64_t>(v);
}

std::uint64_t checked_unsigned(const Json& item, const std::string& section, const char* key,
                               std::uint64_t hi) {
  auto out_of_range = [&] { throw_out_of_range(item, section, key, "0", std::to_string(hi)); };
  if (item.is_number_unsigned()) {
    const std::uint64_t v = item.get<std::uint64_t>();
    if (v > hi) out_of_range();
    return v;
  }
  if (item.is_number_integer()) {  // signed in nlohmann means negative here
    const std::int64_t v = item.get<std::int64_t>();
    if (v < 0 || static_cast<std::uint64_t>(v) > hi) out_of_range();
    return static_cast<std::uint64_t>(v);
  }
  const double v = whole_float(item, section, key);
  if (v < 0 || v >= 18446744073709551616.0 || v > static_cast<double>(hi)) out_of_range();
  return static_cast<std::uint64_t>(v);
}

namespace {

/// Leaf values of a JSON object by dotted path ("generate.seed" → 23).
void flatten(const Json& j, const std::string& prefix, std::map<std::string, Json>& out) {
  if (!j.is_object()) {
    out[prefix] = j;
    return;
  }
  for (const auto& item : j.items())
    flatten(item.value(), prefix.empty() ? item.key() : prefix + "." + item.key(), out);
}

}  // namespace

std::vector<std::string> json_differences(const Json& a, const std::string& a_label,
                                          const Json& b, const std::string& b_label) {
  std::map<std::string, Json> left, right;
  flatten(a, "", left);
  flatten(b, "", right);
  auto shown = [](const std::map<std::string, Json>& side, const std::string& key) {
    const auto it = side.find(key);
    return it == side.end() ? std::string("absent") : it->second.dump();
  };
  std::set<std::string> keys;
  for (const auto& item : left) keys.insert(item.first);
  for (const auto& item : right) keys.insert(item.first);
  std::vector<std::string> out;
  for (const std::string& key : keys) {
    const std::string x = shown(left, key), y = shown(right, key);
    if (x != y) out.push_back(key + " " + x + " (" + a_label + ") vs " + y + " (" + b_label + ")");
  }
  return out;
}

}  // namespace csd

#pragma once
/// Helpers for JSON configs whose keys mirror struct members and CLI flags.
/// Unknown keys are an error so that a typo fails loudly instead of being ignored.
#include <nlohmann/json.hpp>
#include <initializer_list>
#include <string>
#include <vector>

namespace csd {

using Json = nlohmann::json;

/// Reads a JSON file; throws csd::Error naming the file on a missing file or bad JSON.
Json read_json_file(const std::string& path);

/// Throws csd::Error if `object` has a key not in `allowed` (names the section and key).
void reject_unknown_keys(const Json& object, std::initializer_list<const char*> allowed,
                         const std::string& section);
void reject_unknown_keys(const Json& object, const std::vector<std::string>& allowed,
                         const std::string& section);

/// Returns object[section] or an empty object if absent; throws if it is not an object.
Json section_or_empty(const Json& object, const std::string& section);

[[noreturn]] void throw_bad_type(const std::string& section, const char* key,
                                 const char* got);

/// Reads `key` into `value` when present; throws csd::Error on a type mismatch.
template <class T>
void read_key(const Json& object, const char* key, T& value, const std::string& section) {
  auto it = object.find(key);
  if (it == object.end()) return;
  try {
    value = it->template get<T>();
  } catch (const nlohmann::json::exception&) {
    throw_bad_type(section, key, it->type_name());
  }
}


}  // namespace csd

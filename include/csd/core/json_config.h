#pragma once
/// Helpers for JSON configs whose keys mirror struct members and CLI flags.
/// Unknown keys are an error so that a typo fails loudly instead of being ignored.
#include <nlohmann/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
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

/// One entry per leaf (dotted path, e.g. "generate.seed") whose values differ between
/// `a` and `b`: "generate.seed 5 (file) vs 6 (requested)", "absent" for a leaf on one
/// side only; sorted by path, empty when equal.
std::vector<std::string> json_differences(const Json& a, const std::string& a_label,
                                          const Json& b, const std::string& b_label);

[[noreturn]] void throw_bad_type(const std::string& section, const char* key,
                                 const char* got);

/// Checks that the JSON number `item` is a whole number within [lo, hi] (the range of the
/// integer type it is read into) and returns it. nlohmann's get<int>() would wrap
/// 4294967328 to 32 and truncate 32.5 to 32 without a word. Throws csd::Error naming
/// section.key and the value.
std::int64_t checked_integer(const Json& item, const std::string& section, const char* key,
                             std::int64_t lo, std::int64_t hi);
std::uint64_t checked_unsigned(const Json& item, const std::string& section, const char* key,
                               std::uint64_t hi);

/// Reads `key` into `value` when present; throws csd::Error on a type mismatch or, for
/// an integer type, on a value that is not a whole number in the type's range.
template <class T>
void read_key(const Json& object, const char* key, T& value, const std::string& section) {
  auto it = object.find(key);
  if (it == object.end()) return;
  if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (!it->is_number()) throw_bad_type(section, key, it->type_name());
    if constexpr (std::is_signed_v<T>) {
      value = static_cast<T>(checked_integer(*it, section, key, std::numeric_limits<T>::min(),
                                             std::numeric_limits<T>::max()));
    } else {
      value = static_cast<T>(checked_unsigned(*it, section, key, std::numeric_limits<T>::max()));
    }
  } else {
    try {
      value = it->template get<T>();
    } catch (const nlohmann::json::exception&) {
      throw_bad_type(section, key, it->type_name());
    }
  }
}


}  // namespace csd

#pragma once
/// One declarative table per options struct: every key is named once, with its help
/// text, and the table drives JSON reading (unknown keys refused, integers range
/// checked), JSON writing and the CLI flags (apps/commands/options_cli.h registers
/// "--" + key with '_' → '-'; flags override the config the same way in every command).
///
///   const csd::OptionTable<Job> kJobOptions = {
///       {"data", "test set (HDF5)", [](Job& j) -> csd::OptionRef { return &j.data; }},
///       {"threads", "CPU threads [0 = all cores]", [](Job& j) -> csd::OptionRef { return &j.threads; }},
///   };
///   csd::read_options(section, "evaluate", kJobOptions, job);
///   Json j = csd::options_to_json(kJobOptions, job);
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "csd/core/json_config.h"

namespace csd {

/// Where one option lives inside its struct; the alternatives are the value types
/// options have.
/// options have. An empty std::optional means "not set" (e.g. a fixed η instead of a
/// drawn one) and is left out of the JSON.
using OptionRef = std::variant<std::string*, int*, double*, bool*, std::uint64_t*,
                               std::array<double, 2>*, std::optional<double>*>;

template <class S>
struct OptionField {
  OptionField(std::string key_, std::string help_, std::function<OptionRef(S&)> ref_,
              std::vector<std::string> choices_ = std::vector<std::string>(),
              std::string aliases_ = std::string())
      : key(std::move(key_)), help(std::move(help_)), ref(std::move(ref_)),
        choices(std::move(choices_)), aliases(std::move(aliases_)) {}

  std::string key;   ///< JSON key; the CLI flag is "--" + key with '_' → '-'
  std::string help;  ///< CLI help, default value in [brackets]
  std::function<OptionRef(S&)> ref;
  std::vector<std::string> choices;  ///< allowed values of a string option (empty = any)
  std::string aliases;               ///< extra CLI names, e.g. "-o"
  /// The key is written to JSON only when this holds (empty = always): a record that
  /// names only the options in effect, e.g. the radial keys only for a radial field.
  std::function<bool(const S&)> recorded;
  /// Run after the flag's value is applied (empty = nothing): a flag that also
  /// switches a mode, e.g. --eta-range clears a fixed η from the config file.
  std::function<void(S&)> on_flag;

  OptionField when(std::function<bool(const S&)> predicate) const {
    OptionField f = *this;
    f.recorded = std::move(predicate);
    return f;
  }
  OptionField then(std::function<void(S&)> action) const {
    OptionField f = *this;
    f.on_flag = std::move(action);
    return f;
  }
};

template <class S>
using OptionTable = std::vector<OptionField<S>>;

namespace detail {
void read_option(const Json& section, const std::string& section_name, const std::string& key,
                 OptionRef ref, const std::vector<std::string>& choices);
Json option_json(OptionRef ref);
/// Copies the value behind `from` into `to` (same alternative).
void copy_option(OptionRef from, OptionRef to);
}  // namespace detail

/// Reads every key of the table present in `section` into `options`; throws csd::Error
/// on a key the table does not have, a wrong type, an integer out of range or a string
/// not among its choices.
template <class S>
void read_options(const Json& section, const std::string& section_name,
                  const OptionTable<S>& table, S& options) {
  std::vector<std::string> keys;
  for (const auto& field : table) keys.push_back(field.key);
  reject_unknown_keys(section, keys, section_name);
  for (const auto& field : table)
    detail::read_option(section, section_name, field.key, field.ref(options), field.choices);
}

/// Every option of the table as one JSON object (the keys in table order).
template <class S>
Json options_to_json(const OptionTable<S>& table, const S& options) {
  Json j = Json::object();
  S copy = options;  // ref() points into a mutable struct; options structs are small
  for (const auto& field : table)
    if (!field.recorded || field.recorded(options)) {
      const Json value = detail::option_json(field.ref(copy));
      if (!value.is_null()) j[field.key] = value;
    }
  return j;
}

/// The CLI flag of a key: "--" + key with '_' → '-'.
std::string option_flag(const std::string& key);

}  // namespace csd

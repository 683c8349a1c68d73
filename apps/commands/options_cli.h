#pragma once
/// CLI flags from an options table (csd/core/options.h): one flag per key, parsed into a
/// staging copy of the options struct; apply() copies the flags the user gave onto the
/// config read from --config, so flags override the file the same way in every command.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <memory>
#include <type_traits>
#include <vector>

#include "csd/core/options.h"

namespace csd::app {

template <class S>
class OptionFlags {
 public:
  /// Registers every option of `table` on `app`. Boolean options become flags, except
  /// those whose default is true, which take a value (--plots false); `skip` lists keys
  /// a command registers itself.
  OptionFlags(CLI::App* app, const OptionTable<S>& table, std::vector<std::string> skip = {})
      : staging_(std::make_shared<S>()) {
    for (const auto& field : table) {
      if (std::find(skip.begin(), skip.end(), field.key) != skip.end()) continue;
      const std::string names =
          field.aliases.empty() ? option_flag(field.key) : field.aliases + "," + option_flag(field.key);
      CLI::Option* option = std::visit(
          [&](auto* value) -> CLI::Option* {
            using T = std::remove_pointer_t<decltype(value)>;
            if constexpr (std::is_same_v<T, bool>) {
              if (!*value) return app->add_flag(names, *value, field.help);
            }
            if constexpr (std::is_same_v<T, std::optional<double>>) {
              // CLI11 parses into a plain double; apply() sets the optional from it.
              auto slot = std::make_shared<double>(0.0);
              optional_slots_.emplace(field.key, slot);
              return app->add_option(names, *slot, field.help);
            } else {
              return app->add_option(names, *value, field.help);
            }
          },
          field.ref(*staging_));
      if (!field.choices.empty()) option->check(CLI::IsMember(field.choices));
      flags_.push_back({option, &field});
    }
  }

  /// Whether the option `key` was given on the command line.
  bool given(const std::string& key) const {
    for (const auto& [option, field] : flags_)
      if (field->key == key) return option->count() > 0;
    return false;
  }

  /// Copies every option given on the command line from the staging copy onto `config`.
  void apply(S& config) const {
    for (const auto& [option, field] : flags_) {
      if (option->count() == 0) continue;
      if (const auto slot = optional_slots_.find(field->key); slot != optional_slots_.end())
        *std::get<std::optional<double>*>(field->ref(config)) = *slot->second;
      else
        detail::copy_option(field->ref(*staging_), field->ref(config));
      if (field->on_flag) field->on_flag(config);
    }
  }

 private:
  std::shared_ptr<S> staging_;  ///< CLI11 writes the parsed values here
  std::vector<std::pair<CLI::Option*, const OptionField<S>*>> flags_;
  std::map<std::string, std::shared_ptr<double>> optional_slots_;
};

}  // namespace csd::app

#pragma once
/// Each subcommand is an options struct plus `setup_x(CLI::App&)` that registers its
/// flags and a callback calling one library function (STYLE.md: a thin CLI).
#include <CLI/CLI.hpp>

#include <string>

#include "csd/core/json_config.h"
#include "csd/core/parallel.h"

namespace csd::app {

void setup_generate(CLI::App& app);
void setup_merge(CLI::App& app);
void setup_info(CLI::App& app);
void setup_export(CLI::App& app);
void setup_import(CLI::App& app);
void setup_train(CLI::App& app);
void setup_rollout(CLI::App& app);
void setup_analyze(CLI::App& app);
void setup_evaluate(CLI::App& app);
void setup_phasediagram(CLI::App& app);

/// Loads --config if given (else an empty object).
Json load_config(const std::string& path);

/// Applies `value` to `target` when the flag `option` was given on the command line.
template <class T, class U>
void override_if_given(const CLI::Option* option, const T& value, U& target) {
  if (option != nullptr && option->count() > 0) target = value;
}

/// --threads: 0 → all cores; more than the cores → the cores, with a warning (csd/core/parallel.h).
using csd::resolve_threads;

/// Creates the directory that will hold the output file `path` (like `mkdir -p`), so
/// that `--out runs/x/data.h5` works on a fresh checkout. Throws csd::Error if it cannot.
void create_parent_directory(const std::string& path);

/// Logs the effective config (one line of JSON).
void log_config(const std::string& command, const Json& config);

}  // namespace csd::app

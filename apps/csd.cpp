// csd — coherent spinodal decomposition: solver, dataset generator, neural surrogate
// and analysis. Each subcommand lives in apps/commands/<name>.cpp.
//
//   csd generate --config configs/quick/train.json --out train.h5
//   csd merge train.h5 train.0.h5 train.1.h5   (shards of csd generate --shard I/N)
//   csd info train.h5
//   csd export --xdmf train.h5 --sequence 3   (ParaView / VisIt)
//
// Exit status 0 on success; otherwise one `error: ...` line on stderr and status 1
// (2 for command-line usage errors).
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <exception>
#include <string>

#include "commands/command.h"
#include "csd/core/error.h"

int main(int argc, char** argv) {
  CLI::App app{
      "csd — coherent spinodal decomposition: a spectral Cahn–Hilliard solver with cubic\n"
      "elasticity, a conv-GRU neural surrogate, and the analysis that judges it.\n"
      "Run `csd <command> --help` for the flags of each command."};
  app.require_subcommand(1, 1);
  app.fallthrough();  // global flags such as -q may follow the subcommand
  app.set_version_flag("--version", std::string("csd ") + CSD_VERSION);
  bool quiet = false;
  app.add_flag("-q,--quiet", quiet, "only warnings and errors on the log");
  app.parse_complete_callback([&] {
    spdlog::set_level(quiet ? spdlog::level::warn : spdlog::level::info);
  });
  spdlog::set_pattern("[%H:%M:%S] %^%l%$ %v");

  csd::app::setup_generate(app);
  csd::app::setup_merge(app);
  csd::app::setup_info(app);
  csd::app::setup_export(app);
  csd::app::setup_import(app);
  csd::app::setup_analyze(app);
  csd::app::setup_evaluate(app);  // --against works without LibTorch
#ifdef CSD_WITH_TORCH
  csd::app::setup_train(app);
  csd::app::setup_rollout(app);
  csd::app::setup_phasediagram(app);
#endif

  // CLI11 answers an unknown command with "A subcommand is required": name it instead.
  // The first argument that is not a flag is the command (no global flag takes a value).
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (!word.empty() && word[0] == '-') continue;
    std::string names;
    bool known = false;
    for (const CLI::App* command : app.get_subcommands({})) {
      known = known || command->get_name() == word;
      names += (names.empty() ? "" : ", ") + command->get_name();
    }
    if (!known) {
      std::fprintf(stderr, "error: unknown command '%s'; the commands are: %s (see --help)\n",
                   word.c_str(), names.c_str());
      return 2;
    }
    break;
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "error: %s (see --help)\n", e.what());
    return 2;
  } catch (const csd::Error& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}

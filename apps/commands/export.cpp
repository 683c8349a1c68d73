// csd export --xdmf: an XDMF file over a dataset's frames, for ParaView and VisIt.
//   csd export --xdmf demo.h5                       → demo.seq0.xdmf
//   csd export --xdmf demo.h5 --sequence 3 --out views/demo3.xdmf
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/pipeline/export_xdmf.h"
#include "options_cli.h"

namespace csd::app {

void setup_export(CLI::App& parent) {
  using pipeline::ExportOptions;
  CLI::App* app = parent.add_subcommand(
      "export",
      "Describe a dataset for other tools. --xdmf FILE.h5 writes FILE.seq<I>.xdmf (or --out):\n"
      "sequence I as a time series of frames on a uniform 2D grid (spacing and times from the\n"
      "file's physics) that ParaView and VisIt read straight from FILE.h5, nothing copied.");
  auto config = std::make_shared<std::string>();
  app->add_option("--config", *config,
                  "JSON config (section export; keys = long flag names with _); flags override it")
      ->check(CLI::ExistingFile);
  auto flags = std::make_shared<OptionFlags<ExportOptions>>(app, pipeline::export_options());

  app->callback([config, flags] {
    ExportOptions o = ExportOptions::from_json(load_config(*config));
    flags->apply(o);
    o.validate();
    const pipeline::ExportSummary s = pipeline::export_xdmf(o);
    spdlog::info("export: sequence {} of {}, {} frames of {}×{} (h = {:g}, t = 0 … {:g}) → {}",
                 o.sequence, o.xdmf, s.frames, s.size, s.size, s.spacing, s.last_time, s.out);
  });
}

}  // namespace csd::app

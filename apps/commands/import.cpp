// csd import: a grey micrograph (PNG or TIFF) as an initial field for rollout / generate.
//   csd import micrograph.png --out phi.h5 --size 256 --mean-phi 0.4
//   csd import scan.tif --out phi.h5 --invert --smooth 1.5
// The work is pipeline::import_image (csd/pipeline/import_image.h).
#include <spdlog/spdlog.h>

#include <memory>

#include "command.h"
#include "csd/pipeline/import_image.h"
#include "options_cli.h"

namespace csd::app {

void setup_import(CLI::App& parent) {
  using pipeline::ImportJob;
  CLI::App* app = parent.add_subcommand(
      "import",
      "Turn a grey micrograph (PNG or TIFF, 8 or 16 bits; RGB is converted to its luminance,\n"
      "alpha and floating-point images are refused) into a dataset of one N x N frame that\n"
      "`csd rollout --from` and `csd generate --init-from` start from. In this order:\n"
      "phi = grey / max; --invert; --size N centre-crops (no resampling: one pixel = one grid\n"
      "cell); --smooth sigma blurs; --mean-phi M shifts and clips to [0, 1] so that <phi> = M.\n"
      "Without --size the image must be square with an even side.");
  auto config = std::make_shared<std::string>();
  auto image = std::make_shared<std::string>();
  app->add_option("--config", *config,
                  "JSON config (section import; keys = long flag names with _); flags override it")
      ->check(CLI::ExistingFile);
  auto* o_image = app->add_option("image", *image, "grey micrograph (.png, .tif, .tiff)");
  auto flags = std::make_shared<OptionFlags<ImportJob>>(app, pipeline::import_options());
  o_image->excludes(app->get_option("--image"));

  app->callback([config, image, o_image, flags] {
    ImportJob job = ImportJob::from_json(load_config(*config));
    flags->apply(job);
    override_if_given(o_image, *image, job.image);
    job.validate();
    create_parent_directory(job.out);
    log_config("import", job.to_json());
    const pipeline::ImportSummary s = pipeline::import_image(job);
    if (!s.conversion.empty()) spdlog::info("import: converted {}", s.conversion);
    spdlog::info("import: {}×{} {}-bit image → {}² field, <phi> = {:.6f}, phi in [{:.4f}, {:.4f}]"
                 "{} → {}",
                 s.width, s.height, s.bits, s.size, s.mean, s.min, s.max,
                 job.mean_phi ? fmt::format(" (shift {:+.4f}, {:.1f} % clipped)", s.shift,
                                            100 * s.clipped_fraction)
                              : std::string(),
                 job.out);
  });
}

}  // namespace csd::app

// End to end: `csd import` turns synthetic PNG and TIFF micrographs into one-frame
// datasets (crop, inversion, exact mean, 16-bit depth), `csd generate --init-from` starts
// from them, and every bad image is refused with one error line and no output.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "cli_runner.h"
#include "csd/io/dataset.h"
#include "python_modules.h"
#include "test_images.h"

namespace csd::test {
namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 40, kHeight = 30;

/// 16-bit grey sample of pixel (x, y): a smooth pattern whose low byte is never zero.
std::uint16_t sample16(int x, int y) {
  const double v = 0.5 + 0.3 * std::sin(0.31 * x) * std::cos(0.23 * y) + 0.004 * x;
  return static_cast<std::uint16_t>(std::lround(v * 60000) | 1);
}

std::vector<std::uint16_t> image16() {
  std::vector<std::uint16_t> s(kWidth * kHeight);
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) s[y * kWidth + x] = sample16(x, y);
  return s;
}

class CliImport : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ScratchDir("import");
    const std::vector<std::uint16_t> s = image16();
    write_test_png(png16(), kWidth, kHeight, 16, 1, s);
    write_test_tiff(tif16(), kWidth, kHeight, {16, 1}, s.data());
    std::vector<std::uint16_t> s8(s.size());
    for (size_t i = 0; i < s.size(); ++i) s8[i] = s[i] >> 8;
    write_test_png(png8(), kWidth, kHeight, 8, 1, s8);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string png16() { return dir_->file("micro16.png"); }
  static std::string tif16() { return dir_->file("micro16.tif"); }
  static std::string png8() { return dir_->file("micro8.png"); }
  static std::string out(const std::string& name) { return dir_->file(name); }
  /// The single frame of an imported dataset (and its size in `n`).
  static std::vector<float> frame_of(const std::string& path, int* n) {
    const io::DatasetReader r(path);
    EXPECT_EQ(r.shape().sequences, 1);
    EXPECT_EQ(r.shape().frames, 1);
    *n = r.shape().size;
    return r.read_frame(0, 0);
  }
  static ScratchDir* dir_;
};
ScratchDir* CliImport::dir_ = nullptr;

double mean(const std::vector<float>& v) {
  double sum = 0;
  for (float x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

TEST_F(CliImport, SixteenBitPngAndTiffAreCentreCroppedSampleForSample) {
  for (const std::string& image : {png16(), tif16()}) {
    const std::string h5 = out(fs::path(image).filename().string() + ".crop.h5");
    const CliResult r = run_csd("import -q " + image + " --size 16 --out " + h5, *dir_);
    ASSERT_EQ(r.status, 0) << r.err;
    int n = 0;
    const std::vector<float> phi = frame_of(h5, &n);
    ASSERT_EQ(n, 16);
    // 40×30 → columns 12..27, rows 7..22, one pixel per grid cell, all 16 bits kept.
    for (int y = 0; y < n; ++y)
      for (int x = 0; x < n; ++x)
        ASSERT_EQ(phi[y * n + x], static_cast<float>(sample16(x + 12, y + 7) / 65535.0))
            << image << " at (" << x << ", " << y << ")";
    const io::DatasetReader reader(h5);
    EXPECT_EQ(reader.info().source, "image");
    EXPECT_NE(reader.info().config_json.find("\"size\":16"), std::string::npos);
  }
}

TEST_F(CliImport, EightBitDepthIsReadAsEightBits) {
  const std::string h5 = out("eight.h5");
  ASSERT_EQ(run_csd("import -q " + png8() + " --size 8 --out " + h5, *dir_).status, 0);
  int n = 0;
  const std::vector<float> phi = frame_of(h5, &n);
  for (int y = 0; y < n; ++y)
    for (int x = 0; x < n; ++x)
      ASSERT_EQ(phi[y * n + x], static_cast<float>((sample16(x + 16, y + 11) >> 8) / 255.0));
}

TEST_F(CliImport, MeanPhiIsExactAfterClippingAndInvertFlipsTheField) {
  const std::string plain = out("plain.h5"), dark = out("mean.h5"), inverted = out("inv.h5");
  ASSERT_EQ(run_csd("import -q " + png16() + " --size 30 --out " + plain, *dir_).status, 0);
  const CliResult r = run_csd("import " + png16() + " --size 30 --mean-phi 0.9 --out " + dark, *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("clipped"), std::string::npos) << r.out;
  ASSERT_EQ(run_csd("import -q " + png16() + " --size 30 --invert --out " + inverted, *dir_).status, 0);
  int n = 0;
  const std::vector<float> base = frame_of(plain, &n), shifted = frame_of(dark, &n),
                           flipped = frame_of(inverted, &n);
  ASSERT_EQ(n, 30);
  EXPECT_NEAR(mean(shifted), 0.9, 1e-6);
  const long clipped = std::count(shifted.begin(), shifted.end(), 1.0f);
  EXPECT_GT(clipped, 0) << "a mean of 0.9 must clip the bright end";
  // Away from the clip, φ is the grey value shifted by one constant.
  const size_t free_pixel = std::find_if(shifted.begin(), shifted.end(),
                                         [](float v) { return v > 0.0f && v < 1.0f; }) - shifted.begin();
  ASSERT_LT(free_pixel, shifted.size());
  const float shift = shifted[free_pixel] - base[free_pixel];
  for (size_t i = 0; i < base.size(); ++i) {
    if (shifted[i] < 1.0f) {
      EXPECT_NEAR(shifted[i] - base[i], shift, 2e-6) << i;
    }
    EXPECT_NEAR(flipped[i], 1.0f - base[i], 1e-6) << i;
  }
  const io::DatasetReader reader(dark);
  EXPECT_NEAR(reader.meta(0).mean_phi, 0.9, 1e-6);
}

TEST_F(CliImport, SmoothingBlursButKeepsTheMean) {
  // A checkerboard of ±0.2 on grey 0.5: a blur of σ = 2 pixels all but removes it.
  std::vector<std::uint16_t> board(32 * 32);
  for (int y = 0; y < 32; ++y)
    for (int x = 0; x < 32; ++x) board[y * 32 + x] = (x + y) % 2 ? 45875 : 19661;
  write_test_tiff(out("board.tif"), 32, 32, {16, 1}, board.data());
  const std::string sharp = out("sharp.h5"), smooth = out("smooth.h5");
  ASSERT_EQ(run_csd("import -q " + out("board.tif") + " --mean-phi 0.4 --out " + sharp, *dir_).status, 0);
  ASSERT_EQ(run_csd("import -q " + out("board.tif") + " --smooth 2 --mean-phi 0.4 --out " + smooth,
                    *dir_).status, 0);
  int n = 0;
  const std::vector<float> raw = frame_of(sharp, &n), phi = frame_of(smooth, &n);
  ASSERT_EQ(n, 32);
  EXPECT_NEAR(mean(raw), 0.4, 1e-6);
  EXPECT_NEAR(mean(phi), 0.4, 1e-6);
  const auto roughness = [n](const std::vector<float>& f) {  // mean |step| between row neighbours
    double sum = 0;
    for (int y = 0; y < n; ++y)
      for (int x = 1; x < n; ++x) sum += std::abs(f[y * n + x] - f[y * n + x - 1]);
    return sum / (n * (n - 1));
  };
  EXPECT_NEAR(roughness(raw), 0.4, 1e-4);
  EXPECT_LT(roughness(phi), 1e-3);
}

TEST_F(CliImport, GenerateStartsFromTheImportedField) {
  const std::string phi = out("start.h5"), run = out("from_image.h5");
  ASSERT_EQ(run_csd("import -q " + png16() + " --size 16 --mean-phi 0.45 --out " + phi, *dir_).status, 0);
  const CliResult g = run_csd("generate -q --config " + source_path("configs/smoke/generate.json") +
                                  " --size 16 --sequences 1 --frames 2 --init-from " + phi +
                                  " --out " + run,
                              *dir_);
  ASSERT_EQ(g.status, 0) << g.err;
  int n = 0;
  const io::DatasetReader r(run);
  EXPECT_EQ(r.read_frame(0, 0), frame_of(phi, &n));
}

TEST_F(CliImport, ExistingOutputIsKeptUnlessOverwrite) {
  const std::string h5 = out("kept.h5");
  ASSERT_EQ(run_csd("import -q " + png16() + " --size 16 --out " + h5, *dir_).status, 0);
  const std::string before = read_text(h5);
  const CliResult again = run_csd("import -q " + png16() + " --size 16 --invert --out " + h5, *dir_);
  EXPECT_EQ(again.status, 1);
  EXPECT_NE(again.err.find("--overwrite"), std::string::npos) << again.err;
  EXPECT_EQ(read_text(h5), before);
  ASSERT_EQ(run_csd("import -q " + png16() + " --size 16 --invert --overwrite --out " + h5, *dir_).status, 0);
  EXPECT_NE(read_text(h5), before);
}

/// Each bad image or option: exit 1, one error line containing the reason, no output.
TEST_F(CliImport, BadImagesAreRefusedWithOneLineAndNoOutput) {
  write_test_png(out("rgba.png"), 8, 8, 8, 4, std::vector<std::uint16_t>(8 * 8 * 4, 90));
  write_test_png(out("one.png"), 1, 1, 8, 1, {128});
  write_test_png(out("odd.png"), 9, 9, 8, 1, std::vector<std::uint16_t>(81, 128));
  write_test_png(out("black.png"), 8, 8, 8, 1, std::vector<std::uint16_t>(64, 0));
  const std::vector<float> floats(64, 0.5f);
  write_test_tiff(out("float.tif"), 8, 8, {32, 1, PHOTOMETRIC_MINISBLACK, SAMPLEFORMAT_IEEEFP}, floats.data());
  const std::string bytes = read_text(png16());
  std::ofstream(out("corrupt.png"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  const std::pair<std::string, std::string> cases[] = {
      {out("rgba.png"), "has an alpha channel"},
      {out("one.png"), "is 1×1; csd import needs at least 4×4 pixels"},
      {png16(), "is 40×30, not square: pass --size N (even, at most 30)"},
      {out("odd.png"), "csd grids have an even size: pass --size 8"},
      {out("float.tif"), "32-bit floating-point samples"},
      {out("corrupt.png"), "damaged PNG"},
      {out("missing.png"), "does not exist"},
      {out("black.png"), "gives <phi> = 0, but an initial field must lie between the phases"},
      {png16() + " --size 36", "choose a size no larger than 30"},
      {png16() + " --size 15", "size must be even"},
      {png16() + " --size 16 --mean-phi 1", "mean_phi must be inside (0, 1)"},
  };
  for (const auto& [args, reason] : cases) {
    const std::string h5 = out("refused.h5");
    const CliResult r = run_csd("import " + args + " --out " + h5, *dir_);
    EXPECT_EQ(r.status, 1) << args;
    EXPECT_EQ(error_lines(r.err), 1) << args << ": " << r.err;
    EXPECT_NE(r.err.find(reason), std::string::npos) << args << ": " << r.err;
    EXPECT_FALSE(fs::exists(h5)) << args;
    EXPECT_FALSE(fs::exists(h5 + ".part")) << args;
  }
}

TEST_F(CliImport, RgbIsImportedAsLuminanceAndLogged) {
  write_test_png(out("rgb.png"), 4, 4, 8, 3, std::vector<std::uint16_t>(48, 51));  // grey 0.2 as RGB
  const CliResult r = run_csd("import " + out("rgb.png") + " --out " + out("rgb.h5"), *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("converted RGB → luminance"), std::string::npos) << r.out;
  int n = 0;
  for (float v : frame_of(out("rgb.h5"), &n)) EXPECT_NEAR(v, 0.2, 1e-6);
}

TEST_F(CliImport, AMultiPageTiffIsReadAsItsFirstPageWithAWarning) {
  ASSERT_TRUE(python_imports("PIL"));
  const std::string stack = out("stack.tif");
  const std::string script =
      "from PIL import Image; import numpy as np; "
      "pages = [Image.fromarray(np.full((8, 8), v, np.uint8)) for v in (51, 204)]; "
      "pages[0].save('" + stack + "', save_all=True, append_images=pages[1:])";
  ASSERT_EQ(std::system(("/usr/bin/python3 -c \"" + script + "\"").c_str()), 0);
  const CliResult r = run_csd("import " + stack + " --out " + out("stack.h5"), *dir_);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE((r.out + r.err).find("holds 2 pages: csd import reads the first one"),
            std::string::npos)
      << r.out << r.err;
  int n = 0;
  for (float v : frame_of(out("stack.h5"), &n)) EXPECT_NEAR(v, 0.2, 1e-6);  // page 1: 51/255
}

}  // namespace
}  // namespace csd::test

// Grey micrographs (csd import's input): 8/16-bit grey PNG and TIFF read exactly, RGB
// converted to luminance, and every refused kind named in its one-line error.
#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <vector>

#include "csd/io/grey_image.h"
#include "error_capture.h"
#include "temp_dir.h"
#include "test_images.h"

namespace csd::io {
namespace {

using test::contains;
using test::error_of;

/// 16-bit samples that 8 bits cannot hold: v·257 + 1 is not a multiple of 257.
std::vector<std::uint16_t> ramp16(int count) {
  std::vector<std::uint16_t> v(count);
  for (int i = 0; i < count; ++i) v[i] = static_cast<std::uint16_t>((i * 37 % 250) * 257 + 1);
  return v;
}

TEST(GreyImage, EightBitGreyPngReadsEverySampleOver255) {
  test::TempDir dir;
  std::vector<std::uint16_t> samples(6 * 4);
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<std::uint16_t>(i * 11);
  test::write_test_png(dir.file("g8.png"), 6, 4, 8, 1, samples);
  const GreyImage image = read_grey_image(dir.file("g8.png"));
  EXPECT_EQ(image.width, 6);
  EXPECT_EQ(image.height, 4);
  EXPECT_EQ(image.bits, 8);
  EXPECT_TRUE(image.conversion.empty());
  ASSERT_EQ(image.values.size(), samples.size());
  for (size_t i = 0; i < samples.size(); ++i) EXPECT_DOUBLE_EQ(image.values[i], samples[i] / 255.0) << i;
}

TEST(GreyImage, SixteenBitPngAndTiffKeepAllSixteenBits) {
  test::TempDir dir;
  const std::vector<std::uint16_t> samples = ramp16(5 * 4);
  test::write_test_png(dir.file("g16.png"), 5, 4, 16, 1, samples);
  test::write_test_tiff(dir.file("g16.tif"), 5, 4, {16, 1}, samples.data());
  for (const char* name : {"g16.png", "g16.tif"}) {
    const GreyImage image = read_grey_image(dir.file(name));
    EXPECT_EQ(image.bits, 16) << name;
    ASSERT_EQ(image.values.size(), samples.size()) << name;
    // A reader that dropped the low byte (or swapped bytes) is off by >= 1/65535 here.
    for (size_t i = 0; i < samples.size(); ++i)
      EXPECT_DOUBLE_EQ(image.values[i], samples[i] / 65535.0) << name << " sample " << i;
  }
}

TEST(GreyImage, EightBitTiffAndMinIsWhiteTiff) {
  test::TempDir dir;
  std::vector<std::uint8_t> samples(4 * 6);
  for (size_t i = 0; i < samples.size(); ++i) samples[i] = static_cast<std::uint8_t>(i * 10);
  test::write_test_tiff(dir.file("g8.tif"), 4, 6, {8, 1}, samples.data());
  test::write_test_tiff(dir.file("white.tif"), 4, 6, {8, 1, PHOTOMETRIC_MINISWHITE}, samples.data());
  const GreyImage black = read_grey_image(dir.file("g8.tif"));
  const GreyImage white = read_grey_image(dir.file("white.tif"));
  EXPECT_EQ(black.width, 4);
  EXPECT_EQ(black.height, 6);
  for (size_t i = 0; i < samples.size(); ++i) {
    EXPECT_DOUBLE_EQ(black.values[i], samples[i] / 255.0);
    EXPECT_DOUBLE_EQ(white.values[i], 1.0 - samples[i] / 255.0);  // 0 means white there
  }
}

TEST(GreyImage, RgbIsConvertedToItsLuminanceAndSaysSo) {
  test::TempDir dir;
  // Pure red, green, blue and white pixels.
  const std::vector<std::uint16_t> png = {255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255};
  test::write_test_png(dir.file("rgb.png"), 2, 2, 8, 3, png);
  const std::vector<std::uint8_t> tif(png.begin(), png.end());
  test::write_test_tiff(dir.file("rgb.tif"), 2, 2, {8, 3, PHOTOMETRIC_RGB}, tif.data());
  for (const char* name : {"rgb.png", "rgb.tif"}) {
    const GreyImage image = read_grey_image(dir.file(name));
    EXPECT_TRUE(contains(image.conversion, "RGB → luminance")) << image.conversion;
    EXPECT_NEAR(image.values[0], 0.2126, 1e-12) << name;
    EXPECT_NEAR(image.values[1], 0.7152, 1e-12) << name;
    EXPECT_NEAR(image.values[2], 0.0722, 1e-12) << name;
    EXPECT_NEAR(image.values[3], 1.0, 1e-12) << name;
  }
}

TEST(GreyImage, RefusesAlphaFloatDamagedMissingAndForeignFiles) {
  test::TempDir dir;
  test::write_test_png(dir.file("rgba.png"), 2, 2, 8, 4, std::vector<std::uint16_t>(16, 200));
  test::write_test_png(dir.file("ga.png"), 2, 2, 8, 2, std::vector<std::uint16_t>(8, 200));
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("rgba.png")); }), "alpha channel"));
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("ga.png")); }), "alpha channel"));

  const std::vector<std::uint8_t> grey_alpha(8, 100);
  test::write_test_tiff(dir.file("ga.tif"), 2, 2, {8, 2, PHOTOMETRIC_MINISBLACK, SAMPLEFORMAT_UINT, true},
                        grey_alpha.data());
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("ga.tif")); }), "alpha"));

  const std::vector<float> floats(16, 0.5f);
  test::write_test_tiff(dir.file("f32.tif"), 4, 4, {32, 1, PHOTOMETRIC_MINISBLACK, SAMPLEFORMAT_IEEEFP},
                        floats.data());
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("f32.tif")); }),
                       "32-bit floating-point samples"));

  // A PNG cut after its header, and a TIFF whose directory offset points nowhere.
  test::write_test_png(dir.file("whole.png"), 8, 8, 8, 1, std::vector<std::uint16_t>(64, 7));
  const std::string bytes = test::read_bytes(dir.file("whole.png"));
  std::ofstream(dir.file("cut.png"), std::ios::binary) << bytes.substr(0, 40);
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("cut.png")); }), "damaged PNG"));
  std::ofstream(dir.file("bad.tif"), std::ios::binary) << std::string("II*\0\xff\xff\0\0", 8);
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("bad.tif")); }), "damaged TIFF"));

  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("none.png")); }), "does not exist"));
  std::ofstream(dir.file("text.png")) << "not an image at all";
  EXPECT_TRUE(contains(error_of([&] { read_grey_image(dir.file("text.png")); }),
                       "neither a PNG nor a TIFF"));
}

}  // namespace
}  // namespace csd::io

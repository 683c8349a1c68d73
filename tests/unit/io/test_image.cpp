// PNG images: the viridis colormap, painting, text, and a libpng round trip.
#include <gtest/gtest.h>

#include <cmath>

#include "csd/core/error.h"
#include "csd/io/image.h"
#include "temp_dir.h"

namespace csd::io {
namespace {

double luminance(Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

TEST(Viridis, EndsAreDarkPurpleAndYellowAndValuesClamp) {
  EXPECT_EQ(viridis(0.0), (Rgb{68, 1, 84}));
  EXPECT_EQ(viridis(1.0), (Rgb{253, 231, 37}));
  EXPECT_EQ(viridis(0.5), (Rgb{33, 145, 140}));  // viridis' teal midpoint
  EXPECT_EQ(viridis(-3.0), viridis(0.0));
  EXPECT_EQ(viridis(7.0), viridis(1.0));
  EXPECT_EQ(viridis(std::nan("")), viridis(0.0));
}

TEST(Viridis, LuminanceIncreasesMonotonically) {
  // The point of a perceptual map: brighter means larger.
  double previous = -1;
  for (int i = 0; i <= 200; ++i) {
    const double l = luminance(viridis(i / 200.0));
    EXPECT_GE(l, previous - 1e-9) << "t = " << i / 200.0;
    previous = l;
  }
  EXPECT_GT(luminance(viridis(1.0)), 4 * luminance(viridis(0.0)));
}

TEST(Image, PaintFieldScalesMapsAndMarksNonFinite) {
  const float field[4] = {0.f, 1.f, 0.5f, NAN};
  Image image(6, 5);
  paint_field(image, field, 2, 1, 0, 0.0, 1.0, 2);
  EXPECT_EQ(image.at(0, 0), (Rgb{255, 255, 255}));  // untouched background
  EXPECT_EQ(image.at(1, 0), viridis(0.0));
  EXPECT_EQ(image.at(2, 1), viridis(0.0));
  EXPECT_EQ(image.at(3, 0), viridis(1.0));
  EXPECT_EQ(image.at(4, 1), viridis(1.0));
  EXPECT_EQ(image.at(1, 2), viridis(0.5));
  EXPECT_EQ(image.at(4, 3), kNonFiniteColour);
  EXPECT_EQ(image.at(1, 4), (Rgb{255, 255, 255}));
  EXPECT_THROW(paint_field(image, field, 2, 3, 0, 0.0, 1.0, 2), Error);  // does not fit
  EXPECT_THROW(paint_field(image, field, 2, 0, 0, 1.0, 1.0, 1), Error);  // empty range
}

TEST(Image, ColorbarAndTextDrawWhereExpected) {
  Image image(20, 12);
  paint_colorbar(image, 0, 0, 2, 10);
  EXPECT_EQ(image.at(0, 0), viridis(1.0));
  EXPECT_EQ(image.at(1, 9), viridis(0.0));
  const Rgb black{0, 0, 0};
  draw_text(image, 5, 1, "1", black, 2);
  int dark = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 4; x < image.width; ++x) dark += image.at(x, y) == black;
  EXPECT_EQ(dark, 8 * 4);  // glyph '1' has 8 lit cells, each 2×2 pixels
  EXPECT_EQ(text_width("t=10", 1), 15);
  draw_text(image, 18, 10, "88", black, 3);  // clipped at the border, no crash
}

TEST(Png, WritesSignatureAndReadsBackTheSamePixels) {
  test::TempDir dir;
  const std::string path = dir.file("field.png");
  float field[9];
  for (int k = 0; k < 9; ++k) field[k] = k / 8.0f;
  write_field_png(path, field, 3, 0.0, 1.0, 2);
  const std::string bytes = test::read_bytes(path);
  ASSERT_GE(bytes.size(), 8u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  const Image back = read_png(path);
  EXPECT_EQ(back.width, 6);
  EXPECT_EQ(back.height, 6);
  Image expected(6, 6);
  paint_field(expected, field, 3, 0, 0, 0.0, 1.0, 2);
  EXPECT_EQ(back.pixels, expected.pixels);
}

TEST(Png, ClearErrorsForBadPathsAndNonPngFiles) {
  test::TempDir dir;
  Image image(2, 2);
  EXPECT_THROW(write_png(dir.file("missing/x.png"), image), Error);
  test::write_bytes(dir.file("fake.png"), "GIF89a not a png");
  try {
    read_png(dir.file("fake.png"));
    FAIL() << "expected csd::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not a PNG"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_png(dir.file("absent.png")), Error);
}

}  // namespace
}  // namespace csd::io

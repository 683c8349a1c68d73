// Animated GIFs (evaluation/animation.h): which frames are drawn, how large fields are
// averaged down, and the GIF itself as Python Pillow decodes it.
#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

#include "csd/core/error.h"
#include "csd/evaluation/animation.h"
#include "csd/io/gif.h"
#include "csd/io/image.h"
#include "gif_probe.h"
#include "python_modules.h"
#include "temp_dir.h"

namespace csd::evaluation {
namespace {

TEST(GifFrames, EveryKthFrameFromZero) {
  const GifFrames plan = gif_frames(10, 3);
  EXPECT_EQ(plan.frames, (std::vector<int>{0, 3, 6, 9}));
  EXPECT_EQ(plan.step, 3);
  EXPECT_FALSE(plan.capped);
  EXPECT_EQ(gif_frames(1, 5).frames, std::vector<int>{0});
  EXPECT_EQ(gif_frames(200, 1).frames.size(), 200u);  // exactly the cap: not capped
  EXPECT_FALSE(gif_frames(200, 1).capped);
}

TEST(GifFrames, AboveTheCapTheStepGrowsInMultiplesOfK) {
  const GifFrames ones = gif_frames(1001, 1);  // 1001 frames wanted
  EXPECT_TRUE(ones.capped);
  EXPECT_EQ(ones.step, 6);  // 5 would give 201
  EXPECT_EQ(ones.frames.size(), 167u);
  EXPECT_LE(ones.frames.size(), static_cast<size_t>(kGifMaxFrames));
  const GifFrames fives = gif_frames(1001, 5);  // 201 wanted
  EXPECT_EQ(fives.step, 10);
  EXPECT_EQ(fives.frames.size(), 101u);
  EXPECT_EQ(fives.frames.back(), 1000);
  EXPECT_EQ(gif_frames(7, 2, 2).frames, (std::vector<int>{0, 4}));  // a small cap
}

TEST(GifPanel, FieldsAbove256AreReducedByAWholeFactor) {
  EXPECT_EQ(gif_panel_size(16), 16);
  EXPECT_EQ(gif_panel_size(256), 256);
  EXPECT_EQ(gif_panel_size(257), 128);
  EXPECT_EQ(gif_panel_size(300), 150);
  EXPECT_EQ(gif_panel_size(512), 256);
  EXPECT_EQ(gif_panel_size(1024), 256);
}

TEST(GifPanel, DownsamplingAveragesBlocks) {
  // 4×4 → 2×2: each output pixel is the mean of a 2×2 block.
  const std::vector<float> field = {0, 1, 2, 3,  //
                                    4, 5, 6, 7,  //
                                    8, 9, 10, 11,  //
                                    12, 13, 14, 15};
  EXPECT_EQ(downsample_field(field.data(), 4, 2), (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
  EXPECT_EQ(downsample_field(field.data(), 4, 4), field);
  // 3 → 2: blocks [0, 1) and [1, 3) (uneven sizes when n/m is not whole).
  const std::vector<float> three = {0, 3, 6, 9, 12, 15, 18, 21, 24};
  EXPECT_EQ(downsample_field(three.data(), 3, 2), (std::vector<float>{0.f, 4.5f, 13.5f, 18.f}));
}

TEST(FieldAnimation, PillowDecodesFramesSizeAndColours) {
  ASSERT_TRUE(test::python_imports("PIL"));
  test::TempDir dir;
  const int n = 512;  // drawn as 256-pixel panels
  const std::vector<float> zeros(n * n, 0.f), ones(n * n, 1.f);
  const std::string path = dir.file("run.gif");
  FieldAnimation gif(path, n, {"a", "b", "c"});
  EXPECT_EQ(gif.width(), 4 + 3 * (256 + 4));
  const GifFrames plan = gif_frames(7, 2);  // 0, 2, 4, 6
  for (int t : plan.frames) gif.add(t, {zeros.data(), ones.data(), t == 6 ? ones.data() : zeros.data()});
  EXPECT_FALSE(std::filesystem::exists(path));  // nothing at the final name before finish()
  gif.finish();
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));

  const int panel_y = gif.height() - 4 - 1;  // bottom row of the panels
  const test::GifProbe probe = test::probe_gif(path, {{0, 10, panel_y}, {0, 270, panel_y},
                                                      {0, 530, panel_y}, {3, 530, panel_y},
                                                      {0, 1, 1}});
  ASSERT_TRUE(probe.ok) << probe.error;
  EXPECT_EQ(probe.format, "GIF");
  EXPECT_EQ(probe.frames, 4);
  EXPECT_EQ(probe.width, 784);
  EXPECT_EQ(probe.height, gif.height());
  EXPECT_LT(probe.height, 320);
  const auto rgb = [](io::Rgb c) { return std::vector<int>{c.r, c.g, c.b}; };
  EXPECT_EQ(probe.pixels[0], rgb(io::viridis(0.0)));
  EXPECT_EQ(probe.pixels[1], rgb(io::viridis(1.0)));
  EXPECT_EQ(probe.pixels[2], rgb(io::viridis(0.0)));  // frame 0: third panel zero
  EXPECT_EQ(probe.pixels[3], rgb(io::viridis(1.0)));  // frame 6: third panel one
  EXPECT_EQ(probe.pixels[4], (std::vector<int>{255, 255, 255}));  // background
}

TEST(FieldAnimation, AFailedAnimationLeavesNoFile) {
  test::TempDir dir;
  const std::string path = dir.file("gone.gif");
  const std::vector<float> field(16 * 16, 0.5f);
  {
    FieldAnimation gif(path, 16, {""});
    gif.add(0, {field.data()});
    EXPECT_THROW(gif.add(1, {field.data(), field.data()}), Error);  // wrong panel count
  }  // destroyed without finish()
  EXPECT_FALSE(std::filesystem::exists(path));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(GifPalette, HoldsViridisWhiteBlackAndMagenta) {
  const auto& palette = io::gif_palette();
  ASSERT_EQ(palette.size(), 256u);
  EXPECT_EQ(palette.front(), io::viridis(0.0));
  EXPECT_EQ(palette[io::kGifViridisLevels - 1], io::viridis(1.0));
  EXPECT_EQ(io::gif_palette_index({255, 255, 255}), io::kGifViridisLevels);
  EXPECT_EQ(io::gif_palette_index({0, 0, 0}), io::kGifViridisLevels + 1);
  EXPECT_EQ(io::gif_palette_index(io::kNonFiniteColour), io::kGifViridisLevels + 2);
  EXPECT_EQ(io::gif_palette_index(io::viridis(0.5)), 126);
}

}  // namespace
}  // namespace csd::evaluation

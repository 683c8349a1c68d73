#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "csd/core/error.h"
#include "csd/physics/params.h"

namespace csd::physics {
namespace {

TEST(Params, DefaultsAreThePapersValuesAndValid) {
  const Params p;
  EXPECT_EQ(p.grid_spacing, 1.0);
  EXPECT_EQ(p.epsilon, 5.0);
  EXPECT_EQ(p.mobility, 1.0);
  EXPECT_EQ(p.dt, 0.01);
  EXPECT_EQ(p.steps_per_frame, 100);
  EXPECT_EQ(p.c11, 3.0e4);
  EXPECT_EQ(p.c12, 1.5e4);
  EXPECT_EQ(p.c44, 3.0e4);
  EXPECT_DOUBLE_EQ(p.frame_time(), 1.0);
  EXPECT_NO_THROW(p.validate());
}

TEST(Params, JsonRoundTripKeepsEveryValue) {
  Params p;
  p.grid_spacing = 0.5;
  p.epsilon = 3.0;
  p.mobility = 2.0;
  p.dt = 0.005;
  p.steps_per_frame = 40;
  p.c11 = 2.0e4;
  p.c12 = 1.0e4;
  p.c44 = 1.2e4;
  const Json j = p.to_json();
  EXPECT_EQ(j.size(), 8u);
  const Params q = Params::from_json(j);
  EXPECT_EQ(q.grid_spacing, p.grid_spacing);
  EXPECT_EQ(q.epsilon, p.epsilon);
  EXPECT_EQ(q.mobility, p.mobility);
  EXPECT_EQ(q.dt, p.dt);
  EXPECT_EQ(q.steps_per_frame, p.steps_per_frame);
  EXPECT_EQ(q.c11, p.c11);
  EXPECT_EQ(q.c12, p.c12);
  EXPECT_EQ(q.c44, p.c44);
}

TEST(Params, PartialSectionKeepsDefaultsForMissingKeys) {
  const Params q = Params::from_json(Json{{"dt", 0.002}});
  EXPECT_EQ(q.dt, 0.002);
  EXPECT_EQ(q.epsilon, 5.0);
  EXPECT_EQ(q.steps_per_frame, 100);
  EXPECT_EQ(Params::from_json(Json::object()).c12, 1.5e4);
}

TEST(Params, UnknownKeyIsAnErrorNamingTheKey) {
  try {
    Params::from_json(Json{{"epsilom", 5.0}});
    FAIL() << "expected csd::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("physics.epsilom"), std::string::npos) << e.what();
  }
}

TEST(Params, WrongTypesAreErrors) {
  EXPECT_THROW(Params::from_json(Json{{"dt", "0.01"}}), Error);
  EXPECT_THROW(Params::from_json(Json{{"steps_per_frame", 100.5}}), Error);
  EXPECT_THROW(Params::from_json(Json{{"steps_per_frame", "100"}}), Error);
  EXPECT_THROW(Params::from_json(Json::array()), Error);
  EXPECT_EQ(Params::from_json(Json{{"steps_per_frame", 7}}).steps_per_frame, 7);
}

TEST(Params, ValidateRejectsNonPhysicalValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto broken = [](auto edit) {
    Params p;
    edit(p);
    return p;
  };
  EXPECT_THROW(broken([](Params& p) { p.grid_spacing = 0.0; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.epsilon = -5.0; }).validate(), Error);
  EXPECT_THROW(broken([&](Params& p) { p.epsilon = nan; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.mobility = 0.0; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.dt = -0.01; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.dt = INFINITY; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.steps_per_frame = 0; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.c11 = 0.0; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.c44 = -1.0; }).validate(), Error);
  EXPECT_THROW(broken([](Params& p) { p.c12 = 3.0e4; }).validate(), Error);   // C11 = C12
  EXPECT_THROW(broken([](Params& p) { p.c12 = -3.5e4; }).validate(), Error);  // C11 < |C12|
  EXPECT_THROW(broken([&](Params& p) { p.c12 = nan; }).validate(), Error);
  // A negative C12 with C11 > |C12| is a valid (auxetic) crystal.
  EXPECT_NO_THROW(broken([](Params& p) { p.c12 = -1.0e4; }).validate());
}

TEST(Params, MessagesShowSmallValuesInsteadOfZero) {
  // std::to_string(-4e-7) is "-0.000000".
  Params p;
  p.dt = -4e-7;
  try {
    p.validate();
    FAIL() << "negative dt accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("-4e-07"), std::string::npos) << m;
    EXPECT_EQ(m.find("0.000000"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace csd::physics

namespace csd::physics {
namespace {

TEST(PhysicsMismatch, NamesEveryDifferingKeyWithBothValues) {
  Params model, data;
  data.steps_per_frame = 50;
  data.c44 = 2.5e4;
  const auto keys = differences(model, "model", data, "data");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0], "c44 30000.0 (model) vs 25000.0 (data)");
  EXPECT_EQ(keys[1], "steps_per_frame 100 (model) vs 50 (data)");
  EXPECT_TRUE(differences(model, "a", Params{}, "b").empty());
  try {
    require_same_physics(model, "model", data, "data", false, "evaluating m.pt on d.h5");
    FAIL() << "a physics mismatch was accepted";
  } catch (const Error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("evaluating m.pt on d.h5"), std::string::npos) << message;
    EXPECT_NE(message.find("steps_per_frame 100 (model) vs 50 (data)"), std::string::npos) << message;
    EXPECT_NE(message.find("--allow-physics-mismatch"), std::string::npos) << message;
  }
  // Allowed: a warning, no error; equal physics pass either way.
  EXPECT_NO_THROW(require_same_physics(model, "model", data, "data", true, "x"));
  EXPECT_NO_THROW(require_same_physics(model, "model", Params{}, "data", false, "x"));
}

}  // namespace
}  // namespace csd::physics

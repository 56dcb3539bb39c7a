// model::Text against its contract (src/model/text.h) and against the std::optional<std::string> it replaced.
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "model/model.h"

namespace caisson::model {
namespace {

static_assert(sizeof(Text) == 16);
static_assert(sizeof(Address) < 200);

TEST(Text, DefaultIsAbsent) {
  Text t;
  EXPECT_FALSE(t.has_value());
  EXPECT_FALSE(static_cast<bool>(t));
  EXPECT_TRUE(t == std::nullopt);
  EXPECT_FALSE(t == "");
  EXPECT_TRUE(t != "");
  EXPECT_EQ(t.value_or("fallback"), "fallback");
  EXPECT_EQ(t.str(), "");
  EXPECT_EQ(*t, "");
  EXPECT_TRUE(Text(std::nullopt) == Text());
}

TEST(Text, EmptyIsPresent) {
  Text t("");
  EXPECT_TRUE(t.has_value());
  EXPECT_TRUE(static_cast<bool>(t));
  EXPECT_TRUE(t.empty());
  EXPECT_TRUE(t == "");
  EXPECT_TRUE(t != std::nullopt);
  EXPECT_TRUE(t != Text());
  EXPECT_EQ(t.value_or("fallback"), "");
  t = std::nullopt;
  EXPECT_FALSE(t.has_value());
}

TEST(Text, HoldsValuesFromEveryStringType) {
  const std::string s = "from std::string";
  const std::string_view v = "view";
  Text a(s), b(v), c("literal");
  EXPECT_EQ(*a, s);
  EXPECT_EQ(a.value(), s);
  EXPECT_EQ(b.view(), v);
  EXPECT_EQ(c.str(), "literal");
  a = v;
  EXPECT_EQ(a, "view");
  a = "x";
  EXPECT_EQ(a, "x");
  a = s;
  EXPECT_EQ(a, s);
  EXPECT_EQ(a.view().size(), s.size());
}

TEST(Text, InlineAndHeapBoundary) {
  for (size_t n : {0, 1, 13, 14, 15, 16, 100, 5000}) {
    const std::string s(n, 'a' + static_cast<char>(n % 26));
    Text t(s);
    EXPECT_TRUE(t.has_value()) << n;
    EXPECT_EQ(t.view().size(), n);
    EXPECT_EQ(*t, s) << n;
    const bool inline_storage = t.view().data() >= reinterpret_cast<const char*>(&t) &&
                                t.view().data() < reinterpret_cast<const char*>(&t) + sizeof(Text);
    if (n == 0) continue;  // an empty view's pointer says nothing
    EXPECT_EQ(inline_storage, n <= Text::kInlineCapacity) << n;
  }
  EXPECT_EQ(Text::kInlineCapacity, 14u);
}

TEST(Text, KeepsEmbeddedNulBytes) {
  const std::string s("a\0b\0c", 5);
  const std::string long_s = s + std::string(20, '\0');
  Text t(s), u(long_s);
  EXPECT_EQ(t.view().size(), 5u);
  EXPECT_EQ(*t, s);
  EXPECT_EQ(*u, long_s);
}

TEST(Text, CopyIsDeep) {
  const std::string long_value(40, 'q');
  Text a(long_value);
  Text b(a);
  EXPECT_EQ(a, b);
  EXPECT_NE(a.view().data(), b.view().data());
  a = "short";
  EXPECT_EQ(b, long_value);
  Text c;
  c = b;
  b.reset();
  EXPECT_EQ(c, long_value);
  EXPECT_FALSE(b.has_value());
  Text d("inline");
  Text e(d);
  d = "changed";
  EXPECT_EQ(e, "inline");
}

TEST(Text, MoveTransfersTheValue) {
  const std::string long_value(40, 'm');
  Text a(long_value);
  const char* data = a.view().data();
  Text b(std::move(a));
  EXPECT_EQ(b, long_value);
  EXPECT_EQ(b.view().data(), data);  // the heap block moved, not copied
  Text c("x");
  c = std::move(b);
  EXPECT_EQ(c, long_value);
  Text d("small");
  Text e(std::move(d));
  EXPECT_EQ(e, "small");
  static_assert(std::is_nothrow_move_constructible_v<Text>);
  static_assert(std::is_nothrow_move_assignable_v<Text>);
  std::vector<Text> v;
  for (int i = 0; i < 100; ++i) v.emplace_back(std::string(static_cast<size_t>(i), 'v'));
  for (size_t i = 0; i < v.size(); ++i) EXPECT_EQ(v[i], std::string(i, 'v'));
}

TEST(Text, SelfAssignmentAndAssignmentFromOwnView) {
  for (const std::string& s : {std::string("tiny"), std::string(30, 'z')}) {
    Text t(s);
    const Text& same = t;
    t = same;
    EXPECT_EQ(t, s);
    t = t.view();
    EXPECT_EQ(t, s);
    t = t.view().substr(1);
    EXPECT_EQ(t, s.substr(1));
    Text& alias = t;
    t = std::move(alias);
    EXPECT_EQ(t, s.substr(1));
  }
}

TEST(Text, EmplaceResetSwap) {
  Text t;
  EXPECT_EQ(t.emplace("abc"), "abc");
  EXPECT_EQ(t, "abc");
  t.emplace(20, 'x');
  EXPECT_EQ(t, std::string(20, 'x'));
  t.emplace();
  EXPECT_TRUE(t.has_value());
  EXPECT_EQ(t, "");
  t.reset();
  EXPECT_FALSE(t.has_value());
  t.reset();
  EXPECT_FALSE(t.has_value());
  Text a("a"), b(std::string(20, 'b'));
  swap(a, b);
  EXPECT_EQ(a, std::string(20, 'b'));
  EXPECT_EQ(b, "a");
  a.swap(a);
  EXPECT_EQ(a, std::string(20, 'b'));
}

TEST(Text, Comparisons) {
  const Text absent, empty(""), abc("abc"), long1(std::string(20, 'l')), long2(std::string(20, 'l'));
  EXPECT_TRUE(absent == Text());
  EXPECT_TRUE(absent != empty);
  EXPECT_TRUE(empty != absent);
  EXPECT_TRUE(abc == "abc");
  EXPECT_TRUE("abc" == abc);
  EXPECT_TRUE(abc == std::string("abc"));
  EXPECT_TRUE(std::string("abc") == abc);
  EXPECT_TRUE(abc == std::string_view("abc"));
  EXPECT_TRUE(std::string_view("abc") == abc);
  EXPECT_TRUE(abc != "abd");
  EXPECT_TRUE(abc != std::nullopt);
  EXPECT_TRUE(std::nullopt == absent);
  EXPECT_TRUE(long1 == long2);
  EXPECT_TRUE(long1 != abc);
  EXPECT_TRUE(absent < empty);
  EXPECT_TRUE(empty < abc);
  EXPECT_FALSE(abc < abc);
  EXPECT_FALSE(absent < absent);
}

TEST(Text, Prints) {
  std::ostringstream os;
  os << Text() << ' ' << Text("v");
  EXPECT_EQ(os.str(), "(absent) \"v\"");
}

// Random operations on a few Texts and, alongside, on std::optional<std::string>: both must agree throughout.
TEST(Text, BehavesLikeOptionalString) {
  std::mt19937_64 rng(20261123);
  auto pick = [&rng](size_t n) { return static_cast<size_t>(rng() % n); };
  auto random_string = [&]() {
    static const size_t kLengths[] = {0, 1, 2, 13, 14, 15, 16, 31, 64};
    std::string s(kLengths[pick(std::size(kLengths))], '\0');
    for (char& c : s) c = static_cast<char>("ab\0z"[pick(4)]);
    return s;
  };
  constexpr size_t kSlots = 6;
  std::vector<Text> texts(kSlots);
  std::vector<std::optional<std::string>> model(kSlots);
  for (int step = 0; step < 20000; ++step) {
    const size_t i = pick(kSlots), j = pick(kSlots);
    switch (pick(9)) {
      case 0: {
        const std::string s = random_string();
        texts[i] = s;
        model[i] = s;
        break;
      }
      case 1:
        texts[i] = std::nullopt;
        model[i] = std::nullopt;
        break;
      case 2:
        texts[i] = texts[j];
        model[i] = model[j];
        break;
      case 3:
        if (i != j) {
          texts[i] = std::move(texts[j]);
          model[i] = std::move(model[j]);
          // A moved-from Text is absent; a moved-from optional<string> is unspecified: resynchronise both.
          texts[j] = "moved";
          model[j] = "moved";
        }
        break;
      case 4:
        swap(texts[i], texts[j]);
        std::swap(model[i], model[j]);
        break;
      case 5: {
        const std::string s = random_string();
        texts[i].emplace(s);
        model[i].emplace(s);
        break;
      }
      case 6: {
        Text copy(texts[j]);
        texts[i] = copy;
        model[i] = model[j];
        break;
      }
      case 7:
        texts[i].reset();
        model[i].reset();
        break;
      default: {
        Text moved(std::move(texts[i]));
        texts[i] = moved;
        break;
      }
    }
    for (size_t k = 0; k < kSlots; ++k) {
      ASSERT_EQ(texts[k].has_value(), model[k].has_value()) << "step " << step;
      if (model[k]) {
        ASSERT_EQ(*texts[k], *model[k]) << "step " << step;
        ASSERT_TRUE(texts[k] == *model[k]);
      }
      ASSERT_EQ(std::string(texts[k].value_or("<none>")), model[k].value_or("<none>"));
    }
    ASSERT_EQ(texts[i] == texts[j], model[i] == model[j]) << "step " << step;
    ASSERT_EQ(texts[i] != texts[j], model[i] != model[j]) << "step " << step;
    ASSERT_EQ(texts[i] < texts[j], model[i] < model[j]) << "step " << step;
  }
}

}  // namespace
}  // namespace caisson::model

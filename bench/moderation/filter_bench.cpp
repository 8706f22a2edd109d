// bench/moderation/filter_bench.cpp: what the blocked-term filter costs the chat path.
//   BM_FilterCheck/<terms>  one TermFilter::check() of a 100-character Chinese comment
//                           (fold + Aho-Corasick scan + match mapping + mask), cycling
//                           over 64 comments built from the demo forum's texts, some with
//                           evasions (spaces, zero-width, full width, traditional).
//   BM_Normalize            folding alone, same comments.
//   BM_BuildAutomaton/<n>   set_terms() with n terms (fold every term + build + swap).
//   BM_CreateNormalizer     building the ICU/OpenCC tables once at start-up.
// Terms are 2-4 characters drawn half from the characters of the demo texts (so the
// automaton walks partial matches all the time) and half from the CJK block; seed fixed.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "moderation/term_filter.hpp"
#include "moderation/text_normalizer.hpp"

namespace fm = forumcast::moderation;

namespace {

const char* kDemo[] = {
    "中心广场荒废好几年了,改造以后能不能多放几张长椅?老人想坐下来聊聊天。",
    "广场的地砖下雨天特别滑,我妈上个月差点摔倒,改造时能换成防滑的吗?",
    "改造方案什么时候公示?我们想先看到图纸再提意见。",
    "广场晚上跳广场舞声音太大,改造后能不能划一个离楼远一点的区域?",
    "施工期间材料堆在哪里?会不会影响消防通道?",
    "3号楼楼道灯坏了一个多星期了,晚上上下楼很危险,找谁修?",
    "我们楼的电梯上个月困过人,维保单位多久来检查一次?",
    "楼道里堆了很多杂物和电瓶车,着火了怎么办?能不能统一清理?",
    "顶楼漏水四年了,物业说要业委会同意,业委会说要物业出方案,到底谁管?",
    "租客能不能加入楼组的微信群?我们也想知道小区的通知。",
    "群租房晚上很吵,二房东联系不上,居委能不能帮忙协调?",
    "支持多放长椅!地砖确实滑,下雨天我都绕着走。书记讲得很实在。",
    "小心有人冒充物业加微信收钱,这种骗 子要报警,別被詐騙了!",
    "ＰＩＡＮ子又来了,骗\u200b子的广\u200b告别信,谨防上当受骗。",
};

std::u32string decode(const std::string& s) {
  std::u32string out;
  for (size_t i = 0; i < s.size();) {
    unsigned char c = s[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : c & (0xFF >> (n + 1));
    for (size_t k = 1; k < n; ++k) cp = (cp << 6) | (s[i + k] & 0x3F);
    out.push_back(cp);
    i += n;
  }
  return out;
}

std::string encode(const std::u32string& s) {
  std::string out;
  for (char32_t cp : s) {
    if (cp < 0x80) {
      out.push_back(char(cp));
    } else if (cp < 0x800) {
      out += {char(0xC0 | (cp >> 6)), char(0x80 | (cp & 0x3F))};
    } else if (cp < 0x10000) {
      out += {char(0xE0 | (cp >> 12)), char(0x80 | ((cp >> 6) & 0x3F)), char(0x80 | (cp & 0x3F))};
    } else {
      out += {char(0xF0 | (cp >> 18)), char(0x80 | ((cp >> 12) & 0x3F)),
              char(0x80 | ((cp >> 6) & 0x3F)), char(0x80 | (cp & 0x3F))};
    }
  }
  return out;
}

// 64 comments of exactly 100 characters: the demo texts back to back from an offset;
// with `emoji`, every fifth character is an emoji (😂👍🙏🔥), as in lively chats.
std::vector<std::string> make_comments(bool emoji) {
  std::u32string all;
  for (const char* d : kDemo) all += decode(d);
  std::vector<std::string> out;
  for (size_t i = 0; i < 64; ++i) {
    std::u32string c;
    for (size_t k = 0; c.size() < 100; ++k) {
      if (emoji && c.size() % 5 == 4) c.push_back(U"😂👍🙏🔥"[k % 4]);
      c.push_back(all[(i * 37 + k) % all.size()]);
    }
    c.resize(100);
    out.push_back(encode(c));
  }
  return out;
}
const std::vector<std::string>& comments() {
  static std::vector<std::string> v = make_comments(false);
  return v;
}
const std::vector<std::string>& emoji_comments() {
  static std::vector<std::string> v = make_comments(true);
  return v;
}

std::vector<fm::BlockedTerm> make_terms(size_t n) {
  std::u32string pool;
  for (const char* d : kDemo)
    for (char32_t c : decode(d))
      if (c >= 0x4E00 && c <= 0x9FFF) pool.push_back(c);
  std::mt19937 rng(20261205);
  std::vector<fm::BlockedTerm> terms;
  terms.reserve(n);
  const fm::TermAction actions[] = {fm::TermAction::hold, fm::TermAction::mask,
                                    fm::TermAction::reject, fm::TermAction::timeout};
  for (size_t i = 0; i + 2 < n; ++i) {  // n terms in all, with the two below
    size_t len = 2 + rng() % 3;
    std::u32string t;
    for (size_t k = 0; k < len; ++k)
      t.push_back(i % 2 ? pool[rng() % pool.size()] : char32_t(0x4E00 + rng() % 20902));
    terms.push_back({encode(t), actions[rng() % 4], 600'000});
  }
  terms.push_back({"骗子", fm::TermAction::hold, 600'000});
  terms.push_back({"加微信", fm::TermAction::reject, 600'000});
  return terms;
}

std::shared_ptr<const fm::TextNormalizer> normalizer() {
  static auto n = *fm::TextNormalizer::create();
  return n;
}

void BM_FilterCheck(benchmark::State& state) {
  fm::TermFilter f(normalizer());
  if (!f.set_terms(make_terms(size_t(state.range(0))))) state.SkipWithError("set_terms");
  const auto& cs = comments();
  size_t i = 0, matches = 0;
  for (auto _ : state) {
    fm::FilterResult r = f.check(cs[i++ & 63]);
    matches += r.matches.size();
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["matches_per_comment"] = double(matches) / double(state.iterations());
}
BENCHMARK(BM_FilterCheck)->Arg(2)->Arg(100)->Arg(10'000)->Arg(50'000);

void BM_FilterCheckEmoji(benchmark::State& state) {
  fm::TermFilter f(normalizer());
  if (!f.set_terms(make_terms(10'000))) state.SkipWithError("set_terms");
  const auto& cs = emoji_comments();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(f.check(cs[i++ & 63]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FilterCheckEmoji);

void BM_Normalize(benchmark::State& state) {
  auto n = normalizer();
  const auto& cs = comments();
  fm::NormalizedText out;
  size_t i = 0;
  for (auto _ : state) {
    out.clear();
    n->normalize(cs[i++ & 63], out);
    benchmark::DoNotOptimize(out.chars.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Normalize);

void BM_BuildAutomaton(benchmark::State& state) {
  fm::TermFilter f(normalizer());
  auto terms = make_terms(size_t(state.range(0)));
  for (auto _ : state) {
    if (!f.set_terms(terms)) state.SkipWithError("set_terms");
  }
}
BENCHMARK(BM_BuildAutomaton)->Arg(10'000)->Arg(50'000)->Unit(benchmark::kMillisecond);

void BM_CreateNormalizer(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(fm::TextNormalizer::create());
}
BENCHMARK(BM_CreateNormalizer)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();

// tests/unit/moderation/term_lists_test.cpp: editing the persisted blocked-term lists
// (moderation/term_lists.hpp) against an in-memory BlockedTermStore: add appends and
// re-actions, remove by exact text (unknown: not_found), replace, validation with the
// filter's rules (nothing written on error), one audit row per change and none for a
// no-op, and the process-wide generation moving on every change only.
#include <gtest/gtest.h>

#include <map>

#include "moderation/term_lists.hpp"
#include "moderation_test_util.hpp"

namespace forumcast::moderation {
namespace {

class MemoryTerms final : public BlockedTermStore {
 public:
  Result<std::vector<BlockedTermRow>> list_terms(const std::string& scope) override {
    return lists[scope];
  }
  Status replace_terms(const std::string& scope, const std::vector<BlockedTermRow>& terms,
                       const AuditEntry& audit) override {
    lists[scope] = terms;
    audits.push_back(audit);
    return ok_status();
  }
  std::map<std::string, std::vector<BlockedTermRow>> lists;
  std::vector<AuditEntry> audits;
};

const Actor kOrganizer{Role::organizer, "li-jianguo", {}};

TermEdit adding(std::vector<BlockedTerm> terms) {
  TermEdit e;
  e.add = std::move(terms);
  return e;
}

TEST(moderation_term_lists, AddAppendsAndChangesTheActionOfAListedTerm) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  auto r = edit_terms(store, norm, "f1", kOrganizer,
                      adding({{"骗子", TermAction::reject}, {"傻瓜", TermAction::mask}}), 1000);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->changed);
  ASSERT_EQ(store.lists["f1"].size(), 2u);
  EXPECT_EQ(store.lists["f1"][1].term, "傻瓜");
  r = edit_terms(store, norm, "f1", kOrganizer, adding({{"骗子", TermAction::hold}}), 2000);
  ASSERT_TRUE(r);
  ASSERT_EQ(store.lists["f1"].size(), 2u);
  EXPECT_EQ(store.lists["f1"][0].action, "hold");
  ASSERT_EQ(store.audits.size(), 2u);
  EXPECT_EQ(store.audits[1].action, "terms.update");
  EXPECT_EQ(store.audits[1].target, "terms:f1");
  EXPECT_EQ(store.audits[1].actor, "li-jianguo");
  EXPECT_NE(store.audits[1].before_json.find("reject"), std::string::npos);
  EXPECT_EQ(store.audits[1].after_json.find("reject"), std::string::npos);
  EXPECT_TRUE(store.lists[""].empty());  // the global list is another scope
}

TEST(moderation_term_lists, NoChangeWritesNothingAndKeepsTheGeneration) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  ASSERT_TRUE(edit_terms(store, norm, "", kOrganizer, adding({{"骗子", TermAction::hold}}), 1));
  uint64_t gen = term_lists_generation();
  auto r = edit_terms(store, norm, "", kOrganizer, adding({{"骗子", TermAction::hold}}), 2);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->changed);
  EXPECT_EQ(store.audits.size(), 1u);
  EXPECT_EQ(term_lists_generation(), gen);
  EXPECT_EQ(store.audits[0].target, "terms");
}

TEST(moderation_term_lists, EveryChangeMovesTheGeneration) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  uint64_t gen = term_lists_generation();
  ASSERT_TRUE(edit_terms(store, norm, "f1", kOrganizer, adding({{"刷单", TermAction::reject}}), 1));
  EXPECT_GT(term_lists_generation(), gen);
}

TEST(moderation_term_lists, RemoveByExactTextAndUnknownIsNotFound) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  ASSERT_TRUE(edit_terms(store, norm, "f1", kOrganizer,
                         adding({{"骗子", TermAction::hold}, {"傻瓜", TermAction::mask}}), 1));
  TermEdit rm;
  rm.remove = {"騙子"};  // folds alike but is not the listed text
  auto r = edit_terms(store, norm, "f1", kOrganizer, rm, 2);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "not_found");
  rm.remove = {"骗子"};
  r = edit_terms(store, norm, "f1", kOrganizer, rm, 3);
  ASSERT_TRUE(r);
  ASSERT_EQ(store.lists["f1"].size(), 1u);
  EXPECT_EQ(store.lists["f1"][0].term, "傻瓜");
}

TEST(moderation_term_lists, ReplaceSetsExactlyTheGivenTerms) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  ASSERT_TRUE(edit_terms(store, norm, "f1", kOrganizer, adding({{"骗子", TermAction::hold}}), 1));
  TermEdit put = adding({{"加微信", TermAction::timeout, 60'000}});
  put.replace = true;
  auto r = edit_terms(store, norm, "f1", kOrganizer, put, 2);
  ASSERT_TRUE(r);
  ASSERT_EQ(store.lists["f1"].size(), 1u);
  EXPECT_EQ(store.lists["f1"][0].term, "加微信");
  EXPECT_EQ(store.lists["f1"][0].timeout_ms, 60'000);
  EXPECT_EQ(terms_json(r->after), R"([{"action":"timeout","term":"加微信","timeout_ms":60000}])");
}

TEST(moderation_term_lists, InvalidTermsAreRefusedAndNothingIsWritten) {
  MemoryTerms store;
  const auto& norm = *moderation::testing::shared_normalizer();
  for (const BlockedTerm& bad :
       {BlockedTerm{"***", TermAction::hold}, BlockedTerm{std::string(33, 'x'), TermAction::hold},
        BlockedTerm{"骗子", TermAction::none}, BlockedTerm{"骗子", TermAction::timeout, 10}}) {
    auto r = edit_terms(store, norm, "f1", kOrganizer, adding({bad}), 1);
    ASSERT_FALSE(r) << bad.term;
    EXPECT_EQ(r.error().code, "invalid_term");
  }
  EXPECT_TRUE(store.audits.empty());
  EXPECT_TRUE(store.lists["f1"].empty());
  EXPECT_FALSE(term_from_fields("骗子", "ban", std::nullopt));
  auto t = term_from_fields("骗子", "timeout", std::nullopt);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->timeout_ms, TermLimits::kDefaultTimeoutMs);
}

}  // namespace
}  // namespace forumcast::moderation

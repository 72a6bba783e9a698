// The normalised company name of SPEC §3 (撞单): src/domain/names.h.
#include <gtest/gtest.h>

#include "domain/names.h"

using tj::names::company_key;

TEST(CompanyKey, FoldsWidthCaseSpacesAndPunctuation) {
  EXPECT_EQ(company_key("ＡＢＣ科技"), company_key("abc科技"));
  EXPECT_EQ(company_key(" 华为 技术 "), company_key("华为技术"));
  EXPECT_EQ(company_key("ABC\xE3\x80\x80科技"), company_key("abc科技"));  // ideographic space
  EXPECT_EQ(company_key("华为技术（深圳）"), company_key("华为技术(深圳)"));
  EXPECT_EQ(company_key("华为技术(深圳)"), company_key("华为技术深圳"));
  EXPECT_EQ(company_key("【华为】·技术、"), company_key("华为技术"));
  EXPECT_EQ(company_key("A.B-C"), "abc");
  EXPECT_EQ(company_key("华为技术"), "华为技术");
}

TEST(CompanyKey, IgnoresChineseLegalForms) {
  EXPECT_EQ(company_key("华为技术有限公司"), "华为技术");
  EXPECT_EQ(company_key("华为技术有限责任公司"), "华为技术");
  EXPECT_EQ(company_key("华为技术股份有限公司"), "华为技术");
  EXPECT_EQ(company_key("华为技术股份有限责任公司"), "华为技术");  // a mixed form someone typed
  EXPECT_EQ(company_key("华为技术（深圳）有限责任公司"), company_key("华为技术(深圳)有限公司"));
  // a branch keeps the parent's form in the middle, read alike
  EXPECT_EQ(company_key("华为技术有限责任公司北京分公司"), company_key("华为技术有限公司北京分公司"));
  EXPECT_NE(company_key("华为技术有限公司北京分公司"), company_key("华为技术"));
  // a name that is only a legal form is not emptied
  EXPECT_EQ(company_key("有限公司"), "有限公司");
}

TEST(CompanyKey, IgnoresEnglishLegalFormsAsWords) {
  EXPECT_EQ(company_key("Acme Co., Ltd."), "acme");
  EXPECT_EQ(company_key("ACME CO. LTD"), "acme");
  EXPECT_EQ(company_key("Acme Ltd"), "acme");
  EXPECT_EQ(company_key("Acme, Inc."), "acme");
  EXPECT_EQ(company_key("Acme Limited"), "acme");
  EXPECT_EQ(company_key("Ａｃｍｅ　Ｃｏ．，Ｌｔｄ．"), "acme");  // full width
  EXPECT_EQ(company_key("华为Inc"), "华为");
  // inside a word it is part of the name
  EXPECT_EQ(company_key("Zinc Mining"), "zincmining");
  EXPECT_EQ(company_key("Zinc"), "zinc");
  EXPECT_EQ(company_key("Inc"), "inc");
  EXPECT_NE(company_key("Tesco"), company_key("Tes"));
}

TEST(CompanyKey, DistinguishesDifferentNames) {
  EXPECT_NE(company_key("华为"), company_key("华为技术"));
  EXPECT_NE(company_key("北京华为"), company_key("上海华为"));
  EXPECT_NE(company_key("A1"), company_key("A2"));
}

TEST(CompanyKey, SurvivesBadUtf8AndEmptyInput) {
  EXPECT_EQ(company_key(""), "");
  EXPECT_EQ(company_key("   "), "");
  std::string bad = "\xE4\xB8";  // a truncated character
  EXPECT_NO_THROW(company_key(bad));
  EXPECT_NO_THROW(company_key("\xFF\xFE abc"));
}

#include "common/jql/sql_compiler.hpp"

#include <gtest/gtest.h>

#include "common/jql/custom_field_names.hpp"
#include "common/jql/jql_error.hpp"
#include "common/jql/parser.hpp"

namespace jirasync {
namespace {

constexpr int64_t kNow = 1'735'700'000'000;  // 2025-01-01T02:53:20Z

JqlContext context() {
  JqlContext c;
  c.account_id = "acc-me";
  c.now_ms = kNow;
  c.custom_field_ids["story points"] = "customfield_10016";
  return c;
}

CompiledJql compiled(const std::string& jql, Backend backend = Backend::kSqlite) {
  return compile_jql(parse_jql(jql), backend, context());
}

std::string error_of(const std::string& jql, JqlError::Kind* kind = nullptr) {
  try {
    compiled(jql);
  } catch (const JqlError& e) {
    if (kind) *kind = e.kind();
    return e.what();
  }
  return "(compiled)";
}

size_t placeholders(const std::string& sql) {
  size_t n = 0;
  bool quoted = false;
  for (char c : sql) {
    if (c == '\'') quoted = !quoted;
    if (c == '?' && !quoted) ++n;
  }
  return n;
}

TEST(CompileJql, NoInputValueReachesTheSqlText) {
  // Every value below is a marker that must come back only as a parameter.
  const std::string queries[] = {
      "project in (ZQXPROJ, \"ZQXP2\") and key = ZQXK-77 and id = 98765432",
      "summary ~ zqxword and description ~ \"zqxdesc*\" and text ~ \"\\\"zqxa zqxb\\\"\"",
      "status = zqxstatus and priority in (zqxprio, High) and resolution != zqxres",
      "assignee = zqxuser and reporter in (zqxrep, currentUser()) and creator = zqxcre",
      "labels = zqxlabel and component != zqxcomp and fixVersion = zqxfix and "
      "affectedVersion in (zqxaff)",
      "issuetype = zqxtype and statusCategory = \"In Progress\" and parent = ZQXPA-1",
      "cf[10010] = zqxcf and cf[10011] > 12345.5 and \"Story Points\" ~ zqxsp",
      "environment ~ zqxenv and comment ~ zqxcomment",
      "local.tag = zqxtag and local.link = \"zqxtype:ZQX-17\" and local.note ~ zqxnote",
      "local.change = moved and local.changed >= \"2024-12-24\"",
      "created > \"2024/12/01 10:30\" and updated < -3d and resolved = 1735600000000 and "
      "duedate <= \"2025-02-03\"",
  };
  for (const auto& q : queries) {
    for (Backend b : {Backend::kSqlite, Backend::kPostgres}) {
      const CompiledJql c = compiled(q, b);
      EXPECT_EQ(c.where.find("zqx"), std::string::npos) << c.where;
      EXPECT_EQ(c.where.find("ZQX"), std::string::npos) << c.where;
      for (const char* n : {"98765432", "12345", "2024", "1735600000000", "acc-me"}) {
        EXPECT_EQ(c.where.find(n), std::string::npos) << n << " in " << c.where;
      }
      EXPECT_EQ(placeholders(c.where), c.params.size()) << c.where;
    }
  }
}

TEST(CompileJql, ParametersFollowTheTextOrder) {
  // SQLite binds the project twice (the plain key, then lower-case for the
  // key-order index).
  const CompiledJql c = compiled("project = A and summary ~ x and key in (A-1, 77)");
  ASSERT_EQ(c.params.size(), 6u);
  EXPECT_EQ(std::get<std::string>(c.params[0]), "A");
  EXPECT_EQ(std::get<std::string>(c.params[1]), "a");
  EXPECT_EQ(std::get<std::string>(c.params[2]), "{summary} : (\"x\")");
  EXPECT_EQ(std::get<std::string>(c.params[3]), "77");
  EXPECT_EQ(std::get<std::string>(c.params[4]), "A-1");
  EXPECT_EQ(std::get<std::string>(c.params[5]), "A-1");
}

TEST(CompileJql, OneProjectLeavesTheProjectOutOfTheKeyOrder) {
  // The key-order index (migration 10) then yields the rows sorted.
  for (const char* q : {"project = A", "project in (A) AND status = Done ORDER BY key DESC",
                        "(project = A AND labels = x) AND created > -1d"}) {
    const CompiledJql c = compiled(q);
    ASSERT_FALSE(c.order.empty()) << q;
    EXPECT_EQ(c.order.front().sql.find("project"), std::string::npos) << q;
  }
  for (const char* q : {"project = A OR project = B", "project in (A, B)", "project != A",
                        "project = 10000", "NOT project = A", "status = Done"}) {
    EXPECT_NE(compiled(q).order.front().sql.find("project"), std::string::npos) << q;
  }
}

TEST(CompileJql, LabelsAreRowsOfTicketLabelsAndComponentsStayJson) {
  for (Backend b : {Backend::kSqlite, Backend::kPostgres}) {
    const CompiledJql c = compiled("labels in (Urgent, backend)", b);
    EXPECT_NE(c.where.find("t.id IN (SELECT l.ticket_id FROM ticket_labels l WHERE l.label IN"),
              std::string::npos)
        << c.where;
    EXPECT_EQ(c.where.find("json"), std::string::npos) << c.where;
    // The writer keeps labels lower-case; so are the values.
    EXPECT_EQ(c.params, (std::vector<JqlParam>{std::string("urgent"), std::string("backend")}));
    EXPECT_NE(compiled("component = web", b).where.find("t.components"), std::string::npos);
  }
}

TEST(CompileJql, OneProjectWithAnotherOrderKeepsThePlainProjectColumn) {
  // (project, updated_ms) and (project, created_ms) then yield the order on SQLite.
  const CompiledJql by_updated = compiled("project = A ORDER BY updated DESC");
  EXPECT_EQ(by_updated.where.find("lower(t.project)"), std::string::npos) << by_updated.where;
  EXPECT_EQ(by_updated.where.find("+t.project"), std::string::npos) << by_updated.where;
  const CompiledJql by_key = compiled("project = A ORDER BY key");
  EXPECT_NE(by_key.where.find("lower(t.project)"), std::string::npos) << by_key.where;
}

TEST(CompileJql, PriorityTestsAreRangesOfThePriorityOrderColumn) {
  // The column tickets_priority_order indexes (migration 12), so the index
  // seeks to the ranks asked for.
  const std::string order = compiled("ORDER BY priority").order.front().sql;
  const CompiledJql at_least = compiled("priority >= High");
  EXPECT_NE(at_least.where.find(order + " >= ? AND " + order + " <= ?"), std::string::npos)
      << at_least.where;
  EXPECT_EQ(at_least.params, (std::vector<JqlParam>{int64_t{4}, int64_t{5}}));
  EXPECT_EQ(compiled("priority > Highest").where, "(1=0)");
  const CompiledJql listed = compiled("priority in (High, highest)");
  EXPECT_NE(listed.where.find(order + " IN (?, ?)"), std::string::npos) << listed.where;
  // A name outside Jira's default scheme has no rank.
  EXPECT_EQ(compiled("priority in (High, P1)").where.find(order), std::string::npos);
  EXPECT_EQ(compiled("priority != High").where.find(order), std::string::npos);
}

TEST(CompileJql, ResolvedTestsAreRangesOfTheResolvedOrderColumn) {
  const std::string order = compiled("ORDER BY resolved").order.front().sql;
  EXPECT_NE(compiled("resolved >= -7d").where.find(order + " >= ?"), std::string::npos)
      << compiled("resolved >= -7d").where;
  EXPECT_NE(compiled("resolved = 2025-01-01").where.find(order + " >= ?"), std::string::npos);
}

TEST(CompileJql, NewFieldsCompileToTheirColumns) {
  EXPECT_NE(compiled("duedate < now()").where.find("t.due_date"), std::string::npos);
  EXPECT_NE(compiled("creator = x").where.find("t.creator_id"), std::string::npos);
  EXPECT_NE(compiled("affectedVersion = x").where.find("t.affected_versions"), std::string::npos);
  EXPECT_NE(compiled("environment ~ x").where.find("t.environment_text"), std::string::npos);
  EXPECT_NE(compiled("comment ~ x").where.find("ticket_comments"), std::string::npos);
}

TEST(CompileJql, DueDateComparesCalendarDaysOfTheAccountZone) {
  // now = 2025-01-01T02:53:20Z; startOfDay() in UTC is 2025-01-01T00:00Z.
  const CompiledJql lt = compiled("duedate < startOfDay()");
  EXPECT_EQ(std::get<std::string>(lt.params.at(0)), "2025-01-01");
  const CompiledJql le = compiled("duedate <= now()");
  EXPECT_EQ(std::get<std::string>(le.params.at(0)),
            "2025-01-02");  // today's day started before now
  const CompiledJql eq = compiled("duedate = \"2025-02-03\"");
  EXPECT_EQ(std::get<std::string>(eq.params.at(0)), "2025-02-03");
  EXPECT_EQ(std::get<std::string>(eq.params.at(1)), "2025-02-04");
}

TEST(CompileJql, JiraWordingForWrongFieldsOperatorsAndValues) {
  EXPECT_EQ(error_of("nosuch = 1"),
            "Field 'nosuch' does not exist or you do not have permission to view it.");
  EXPECT_EQ(error_of("status ~ open"), "The operator '~' is not supported by the 'status' field.");
  EXPECT_EQ(error_of("status in open"),
            "Operator 'in' does not support the non-list value '\"open\"' for field 'status'.");
  EXPECT_EQ(error_of("status = (a, b)"),
            "Operator '=' does not support the list value '(a, b)' for field 'status'.");
  EXPECT_EQ(error_of("created > empty"),
            "The operator '>' does not support the EMPTY keyword for field 'created'.");
  EXPECT_EQ(error_of("created > soon"),
            "Date value 'soon' for field 'created' is invalid. Valid formats include: "
            "'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period "
            "format e.g. '-5d', '4w 2d'.");
  EXPECT_EQ(error_of("key = nokey"), "The issue key 'nokey' for field 'key' is invalid.");
  EXPECT_EQ(error_of("priority > urgent"),
            "The value 'urgent' does not exist for the field 'priority'.");
  EXPECT_EQ(error_of("assignee = foo()"), "Unable to find JQL function 'foo()'.");
  EXPECT_EQ(error_of("project = now()"),
            "A value provided by the function 'now' is invalid for the field 'project'.");
  EXPECT_EQ(error_of("summary ~ \"the of\""),
            "The field 'summary' does not support searching for an empty string.");
  EXPECT_EQ(error_of("updated > startOfDay(1x)"),
            "Duration for function 'startOfDay' should have the format (+/-)n(yMwdhm), e.g -1M "
            "for 1 month earlier.");
  EXPECT_EQ(error_of("order by labels"), "Field 'labels' does not support sorting.");
}

TEST(CompileJql, WhatOnlyJiraCanAnswerNamesTheConstructAndTheLiveSource) {
  JqlError::Kind kind{};
  const std::string sprint = error_of("sprint in openSprints()", &kind);
  EXPECT_EQ(kind, JqlError::Kind::kUnsupported);
  EXPECT_NE(sprint.find("'sprint'"), std::string::npos);
  EXPECT_NE(sprint.find("--source live"), std::string::npos);
  const std::string members = error_of("assignee in membersOf(\"qa\")", &kind);
  EXPECT_EQ(kind, JqlError::Kind::kUnsupported);
  EXPECT_NE(members.find("'membersOf'"), std::string::npos);
}

TEST(CompileJql, OrderEndsOnTheIssueIdAndDatesDefaultToNewestFirst) {
  const CompiledJql c = compiled("order by updated, key asc");
  ASSERT_EQ(c.order.size(), 5u);
  EXPECT_EQ(c.order[0].sql, "t.updated_ms");
  EXPECT_FALSE(c.order[0].ascending);
  EXPECT_TRUE(c.order[1].ascending);
  EXPECT_EQ(c.order[3].sql, "CAST(t.id AS INTEGER)");
}

TEST(CompileJql, OnlyDeletedChangesIncludeDeletedTickets) {
  EXPECT_FALSE(compiled("project = A").include_deleted);
  EXPECT_TRUE(compiled("local.change = deleted").include_deleted);
  EXPECT_FALSE(compiled("local.change != deleted").include_deleted);
}

}  // namespace
}  // namespace jirasync

namespace jirasync {
namespace {

// Custom fields by name, resolved through the site's field list.
JqlContext named_fields_context() {
  JqlContext c;
  c.now_ms = kNow;
  add_custom_field_names(c, {{"customfield_10016", "Story Points"},
                             {"customfield_10030", "Team"},
                             {"customfield_10031", "Squad"},
                             {"customfield_10032", "squad"},
                             {"customfield_10040", "Status"}});
  return c;
}

std::string named_error(const std::string& jql) {
  try {
    compile_jql(parse_jql(jql), Backend::kSqlite, named_fields_context());
  } catch (const JqlError& e) {
    return e.what();
  }
  return "(compiled)";
}

TEST(CompileJqlCustomNames, AQuotedNameCompilesLikeItsId) {
  const JqlContext c = named_fields_context();
  const auto by_name = compile_jql(parse_jql("\"Story Points\" > 3"), Backend::kSqlite, c);
  const auto by_id = compile_jql(parse_jql("cf[10016] > 3"), Backend::kSqlite, c);
  EXPECT_EQ(by_name.where, by_id.where);
  EXPECT_EQ(by_name.params, by_id.params);
  // "Team" is a live-only system field unless the site has a custom field so named.
  const auto team = compile_jql(parse_jql("\"Team\" = Red"), Backend::kSqlite, c);
  EXPECT_EQ(team.where, compile_jql(parse_jql("cf[10030] = Red"), Backend::kSqlite, c).where);
}

TEST(CompileJqlCustomNames, AnAmbiguousNameIsAnErrorNamingTheIds) {
  const std::string e = named_error("Squad = Red");
  EXPECT_NE(e.find("Field 'Squad' is ambiguous"), std::string::npos) << e;
  EXPECT_NE(e.find("cf[10031], cf[10032]"), std::string::npos) << e;
  EXPECT_EQ(named_error("cf[10032] = Red"), "(compiled)");
}

TEST(CompileJqlCustomNames, AnUnknownNameIsJirasError) {
  EXPECT_EQ(named_error("\"Story Pointz\" > 3"),
            "Field 'Story Pointz' does not exist or you do not have permission to view it.");
}

TEST(CompileJqlCustomNames, ASystemFieldKeepsItsNameAndTheCustomOneItsId) {
  const JqlContext c = named_fields_context();
  const auto status = compile_jql(parse_jql("status = Done"), Backend::kSqlite, c);
  EXPECT_EQ(status.where.find("custom_fields"), std::string::npos) << status.where;
  EXPECT_EQ(named_error("cf[10040] = Done"), "(compiled)");
}

TEST(CompileJqlCustomNames, TheFieldListIsAskedForOnlyWhenAQueryNamesAnUnknownField) {
  int asked = 0;
  JqlContext c;
  c.now_ms = kNow;
  c.custom_fields = [&asked] {
    ++asked;
    return std::vector<CustomFieldName>{{"customfield_10016", "Story Points"},
                                        {"customfield_10031", "Squad"},
                                        {"customfield_10032", "squad"}};
  };
  (void)compile_jql(parse_jql("status = Done AND cf[10016] > 3 ORDER BY updated"), Backend::kSqlite,
                    c);
  EXPECT_EQ(asked, 0);
  const auto by_name = compile_jql(parse_jql("\"story points\" > 3"), Backend::kPostgres, c);
  EXPECT_EQ(asked, 1);
  EXPECT_EQ(by_name.where, compile_jql(parse_jql("cf[10016] > 3"), Backend::kPostgres, c).where);
  try {
    (void)compile_jql(parse_jql("Squad = Red"), Backend::kSqlite, c);
    ADD_FAILURE() << "an ambiguous name compiled";
  } catch (const JqlError& e) {
    EXPECT_NE(std::string(e.what()).find("cf[10031], cf[10032]"), std::string::npos) << e.what();
  }
  try {
    (void)compile_jql(parse_jql("\"Story Pointz\" > 3"), Backend::kSqlite, c);
    ADD_FAILURE() << "an unknown name compiled";
  } catch (const JqlError& e) {
    EXPECT_STREQ(e.what(),
                 "Field 'Story Pointz' does not exist or you do not have permission to view it.");
  }
}

TEST(CompileJql, DateRangesOfTheWholeQueryAreReportedUnlessTheyLeadTheOrder) {
  // Two bounds on one column are one range; the order is the key.
  auto c = compiled("created >= 1735000000000 AND created < 1735600000000 AND project = P0");
  ASSERT_EQ(c.ranges.size(), 1u);
  EXPECT_EQ(c.ranges[0], (JqlColumnRange{"t.created_ms", 1735000000000, 1735599999999}));
  c = compiled("updated > 1735000000000 ORDER BY created");
  ASSERT_EQ(c.ranges.size(), 1u);
  EXPECT_EQ(c.ranges[0], (JqlColumnRange{"t.updated_ms", 1735000000001, INT64_MAX}));
  // Ordered by the range's own column: its index yields the order already.
  EXPECT_TRUE(compiled("updated >= -7d ORDER BY updated DESC").ranges.empty());
  // Under OR or NOT a range does not restrict the whole query.
  EXPECT_TRUE(compiled("updated >= -7d OR project = P0").ranges.empty());
  EXPECT_TRUE(compiled("NOT updated >= -7d").ranges.empty());
  EXPECT_TRUE(compiled("resolved >= -7d").ranges.empty());
  // No index yields a summary order: walking it would read every ticket.
  EXPECT_TRUE(compiled("updated >= -7d ORDER BY summary").ranges.empty());
  EXPECT_TRUE(compiled("updated >= -7d ORDER BY cf[10016]").ranges.empty());
}

TEST(CompileJql, UnindexedRangesAreWrittenSoNoIndexServesThemOnSqliteOnly) {
  JqlContext ctx = context();
  ctx.unindexed_ranges = {"t.updated_ms"};
  const auto q = parse_jql("updated >= -7d AND created >= -30d ORDER BY created");
  const auto sqlite = compile_jql(q, Backend::kSqlite, ctx);
  EXPECT_NE(sqlite.where.find("+t.updated_ms >= ?"), std::string::npos) << sqlite.where;
  EXPECT_EQ(sqlite.where.find("+t.created_ms"), std::string::npos) << sqlite.where;
  EXPECT_EQ(sqlite.params, compiled("updated >= -7d AND created >= -30d ORDER BY created").params);
  const auto pg = compile_jql(q, Backend::kPostgres, ctx);
  EXPECT_EQ(pg.where.find("+t."), std::string::npos) << pg.where;
}

TEST(CompileJql, CustomFieldsSortByEmptinessNumberAndText) {
  for (Backend backend : {Backend::kSqlite, Backend::kPostgres}) {
    const auto by_id = compiled("ORDER BY cf[10016] DESC, key", backend);
    // Three columns for the field, then the key order and the id tie-break.
    ASSERT_EQ(by_id.order.size(), 3u + 2u + 2u);
    EXPECT_FALSE(by_id.order[0].ascending);
    EXPECT_FALSE(by_id.order[0].text);
    EXPECT_FALSE(by_id.order[1].text);
    EXPECT_TRUE(by_id.order[2].text);
    EXPECT_NE(by_id.order[1].sql.find("customfield_10016"), std::string::npos);
    EXPECT_TRUE(by_id.params.empty());
    // By the name the field list gives it; ascending unless asked.
    const auto by_name = compiled("ORDER BY \"Story Points\"", backend);
    EXPECT_EQ(by_name.order[1].sql, compiled("ORDER BY cf[10016]", backend).order[1].sql);
    EXPECT_TRUE(by_name.order[0].ascending);
  }
  EXPECT_EQ(error_of("ORDER BY \"No Such Field\""),
            "Field 'No Such Field' does not exist or you do not have permission to view it.");
  // The parser takes digits only; the compiler checks the id again, as it
  // writes it into the SQL text.
  EXPECT_NE(error_of("ORDER BY cf[12ab]").find("custom field id"), std::string::npos);
}

TEST(CompileJql, ACustomFieldNamedOnlyInTheOrderIsLookedUp) {
  JqlContext ctx;
  int asked = 0;
  ctx.custom_fields = [&] {
    ++asked;
    return std::vector<CustomFieldName>{{"customfield_10021", "Team"}};
  };
  const auto c = compile_jql(parse_jql("ORDER BY team"), Backend::kSqlite, ctx);
  EXPECT_EQ(asked, 1);
  EXPECT_NE(c.order[1].sql.find("customfield_10021"), std::string::npos);
}

}  // namespace
}  // namespace jirasync

// The OpenAPI document (docs/openapi.json, embedded and served at
// /api/v1/openapi.json) must describe exactly the routes of the API: adding a
// route without documenting it, or leaving a removed route in the document,
// fails here. It also checks the document's own consistency: responses,
// security, strict request bodies, path parameters and $refs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "http/api.h"
#include "http/embedded.h"
#include "method/params.h"

namespace tj {
namespace {

using nlohmann::json;

const json& doc() {
  static const json d = [] {
    for (const auto* f = embedded::kFiles; f->path; ++f)
      if (std::string(f->path) == "/api/v1/openapi.json")
        return json::parse(std::string(f->data, f->size), nullptr, /*allow_exceptions=*/false);
    return json();
  }();
  return d;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  return s;
}
std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::toupper(c)); });
  return s;
}

const std::set<std::string> kHttpMethods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

// Resolves a local "#/a/b" reference; null when it does not resolve.
const json* resolve(const json& root, const std::string& ref) {
  if (ref.rfind("#/", 0) != 0) return nullptr;
  try {
    const json& r = root.at(json::json_pointer(ref.substr(1)));
    return &r;
  } catch (const std::exception&) {
    return nullptr;
  }
}
const json& deref(const json& root, const json& node) {
  const json* cur = &node;
  for (int i = 0; i < 10 && cur->is_object() && cur->contains("$ref"); i++) {
    const json* next = resolve(root, (*cur)["$ref"].get<std::string>());
    if (!next) break;
    cur = next;
  }
  return *cur;
}

struct Op {
  std::string method, path;  // method upper-case, as in routes()
  const json* op;
};
std::vector<Op> documented_ops() {
  std::vector<Op> out;
  for (auto& [path, item] : doc()["paths"].items())
    for (auto& [m, o] : item.items())
      if (kHttpMethods.count(m)) out.push_back({upper(m), path, &o});
  return out;
}

std::string route_key(const std::string& method, const std::string& path) { return method + " " + path; }

TEST(OpenApi, EmbeddedDocumentIsValidJson) {
  bool found = false;
  for (const auto* f = embedded::kFiles; f->path; ++f)
    if (std::string(f->path) == "/api/v1/openapi.json") {
      found = true;
      EXPECT_STREQ(f->content_type, "application/json");
      // one line per operation, no indentation; served gzipped (~30 KB on the wire). 80 operations
      // with their schemas take 276 KB (session 5: the page views, sessions, idempotency).
      EXPECT_LT(f->size, 384u * 1024) << "keep the document compact";
    }
  ASSERT_TRUE(found) << "/api/v1/openapi.json is not among the embedded files";
  ASSERT_TRUE(doc().is_object()) << "docs/openapi.json is not valid JSON";
  EXPECT_EQ(doc().value("openapi", ""), "3.0.3");
  ASSERT_TRUE(doc().contains("paths") && doc()["paths"].is_object());
  ASSERT_TRUE(doc().contains("components") && doc()["components"].contains("schemas"));
}

TEST(OpenApi, EveryRouteIsDocumented) {
  ASSERT_TRUE(doc().is_object());
  const json& paths = doc()["paths"];
  auto rs = http::routes();
  ASSERT_FALSE(rs.empty());
  for (auto& r : rs) {
    if (!paths.contains(r.pattern)) {
      ADD_FAILURE() << r.method << " " << r.pattern << ": path missing from docs/openapi.json";
      continue;
    }
    EXPECT_TRUE(paths[r.pattern].contains(lower(r.method)))
        << r.method << " " << r.pattern << ": operation missing from docs/openapi.json";
  }
}

TEST(OpenApi, EveryDocumentedOperationIsARoute) {
  ASSERT_TRUE(doc().is_object());
  std::set<std::string> routes;
  for (auto& r : http::routes()) routes.insert(route_key(r.method, r.pattern));
  auto ops = documented_ops();
  ASSERT_FALSE(ops.empty());
  for (auto& o : ops)
    EXPECT_TRUE(routes.count(route_key(o.method, o.path))) << o.method << " " << o.path << ": documented but no such route";
  for (auto& [path, item] : doc()["paths"].items())
    for (auto& [k, v] : item.items())
      EXPECT_TRUE(kHttpMethods.count(k) || k == "parameters" || k == "summary" || k == "description" || k == "servers")
          << path << ": unexpected key " << k;
}

// The document says what the route table declares: each route's minimum role (x-min-role; none
// on a public route; a role above rep answers 403 to the roles below it) and whether it takes
// an Idempotency-Key.
TEST(OpenApi, DeclaredAccessAndFlagsAreDocumented) {
  ASSERT_TRUE(doc().is_object());
  int above_rep = 0;
  for (auto& r : http::routes()) {
    const json& paths = doc()["paths"];
    if (!paths.contains(r.pattern) || !paths[r.pattern].contains(lower(r.method))) continue;  // reported elsewhere
    const json& op = paths[r.pattern][lower(r.method)];
    std::string where = r.method + " " + r.pattern;
    EXPECT_EQ(op.value("x-min-role", ""), r.min_role) << where;
    EXPECT_EQ(r.min_role.empty(), !r.needs_auth) << where;
    if (!r.min_role.empty() && r.min_role != "rep") {
      above_rep++;
      EXPECT_TRUE(op["responses"].contains("403")) << where << ": a route above rep answers 403 to lower roles";
    }
    bool key = false;
    for (auto& p : op.value("parameters", json::array())) key = key || p.value("name", "") == "Idempotency-Key";
    EXPECT_EQ(key, r.idempotent) << where << ": Idempotency-Key documented iff the route is declared idempotent";
  }
  EXPECT_GE(above_rep, 15) << "the manager, director and admin routes";
}

TEST(OpenApi, EveryOperationHasSummarySuccessAndClientError) {
  ASSERT_TRUE(doc().is_object());
  std::set<std::string> ids;
  for (auto& o : documented_ops()) {
    const json& op = *o.op;
    std::string where = o.method + " " + o.path;
    EXPECT_FALSE(op.value("summary", "").empty()) << where << ": no summary";
    if (op.contains("operationId")) {
      EXPECT_TRUE(ids.insert(op["operationId"].get<std::string>()).second) << where << ": duplicate operationId";
    }
    ASSERT_TRUE(op.contains("responses") && op["responses"].is_object()) << where << ": no responses";
    bool ok2xx = false, err4xx = false;
    for (auto& [code, resp] : op["responses"].items()) {
      if (code.size() == 3 && code[0] == '2') ok2xx = true;
      if (code.size() == 3 && code[0] == '4') {
        err4xx = true;
        // Errors use the shared Error schema.
        const json& r = deref(doc(), resp);
        ASSERT_TRUE(r.contains("content")) << where << " " << code << ": no error body";
        const json& s = r["content"]["application/json"]["schema"];
        EXPECT_EQ(s.value("$ref", ""), "#/components/schemas/Error") << where << " " << code;
      }
      EXPECT_TRUE(deref(doc(), resp).contains("description")) << where << " " << code << ": no description";
    }
    EXPECT_TRUE(ok2xx) << where << ": no 2xx response";
    EXPECT_TRUE(err4xx) << where << ": no 4xx response";
  }
}

TEST(OpenApi, SecurityMatchesAuthentication) {
  ASSERT_TRUE(doc().is_object());
  const json& schemes = doc()["components"]["securitySchemes"];
  ASSERT_TRUE(schemes.is_object());
  // The session cookie is tj_session, the CSRF header X-CSRF-Token.
  bool cookie = false, csrf = false, bearer = false;
  for (auto& [name, s] : schemes.items()) {
    if (s.value("type", "") == "apiKey" && s.value("in", "") == "cookie" && s.value("name", "") == "tj_session") cookie = true;
    if (s.value("type", "") == "apiKey" && s.value("in", "") == "header" && lower(s.value("name", "")) == "x-csrf-token") csrf = true;
    if (s.value("type", "") == "http" && s.value("scheme", "") == "bearer") bearer = true;
  }
  EXPECT_TRUE(cookie && csrf && bearer);
  for (auto& r : http::routes()) {
    const json& paths = doc()["paths"];
    if (!paths.contains(r.pattern) || !paths[r.pattern].contains(lower(r.method))) continue;  // reported elsewhere
    const json& op = paths[r.pattern][lower(r.method)];
    std::string where = r.method + " " + r.pattern;
    const json& sec = op.contains("security") ? op["security"] : doc().value("security", json::array());
    ASSERT_TRUE(sec.is_array()) << where;
    if (!r.needs_auth) {
      EXPECT_TRUE(sec.empty()) << where << ": a public route must declare security: []";
      continue;
    }
    ASSERT_FALSE(sec.empty()) << where << ": no security requirement";
    bool writes = r.method != "GET" && r.method != "HEAD";
    for (auto& req : sec) {
      ASSERT_TRUE(req.is_object() && !req.empty()) << where << ": an empty requirement would make it public";
      bool uses_cookie = false, uses_csrf = false;
      for (auto& [name, scopes] : req.items()) {
        EXPECT_TRUE(schemes.contains(name)) << where << ": unknown security scheme " << name;
        if (!schemes.contains(name)) continue;
        if (schemes[name].value("in", "") == "cookie") uses_cookie = true;
        if (schemes[name].value("in", "") == "header" && schemes[name].value("type", "") == "apiKey") uses_csrf = true;
      }
      if (writes && uses_cookie) {
        EXPECT_TRUE(uses_csrf) << where << ": cookie writes need the X-CSRF-Token header";
      }
    }
    EXPECT_TRUE(op["responses"].contains("401")) << where << ": an authenticated route answers 401";
  }
}

TEST(OpenApi, RequestBodiesAreStrict) {
  ASSERT_TRUE(doc().is_object());
  for (auto& o : documented_ops()) {
    std::string where = o.method + " " + o.path;
    const json& op = *o.op;
    if (o.method == "GET" || o.method == "DELETE") {
      EXPECT_FALSE(op.contains("requestBody")) << where << ": this method takes no body";
      continue;
    }
    if (!op.contains("requestBody")) continue;  // e.g. POST /companies/{id}/claim
    const json& rb = deref(doc(), op["requestBody"]);
    ASSERT_TRUE(rb.contains("content")) << where;
    if (!rb["content"].contains("application/json")) {
      // A raw file upload (POST /imports): binary content, no JSON schema to be strict about.
      for (auto& [type, media] : rb["content"].items())
        EXPECT_EQ(media["schema"].value("format", ""), "binary") << where << " " << type;
      continue;
    }
    const json& s = deref(doc(), rb["content"]["application/json"]["schema"]);
    EXPECT_EQ(s.value("type", ""), "object") << where;
    ASSERT_TRUE(s.contains("additionalProperties")) << where << ": the body schema needs additionalProperties: false";
    EXPECT_EQ(s["additionalProperties"], false) << where << ": unknown body fields are refused (400 unknown_field)";
    ASSERT_TRUE(s.contains("properties") && s["properties"].is_object()) << where;
    if (s.contains("required")) {
      for (auto& f : s["required"]) {
        EXPECT_TRUE(s["properties"].contains(f.get<std::string>())) << where << ": required field " << f << " not described";
      }
    }
    // Bodies can be bad: a 400 must be documented.
    EXPECT_TRUE(op["responses"].contains("400")) << where;
  }
}

TEST(OpenApi, PathParametersAreDeclared) {
  ASSERT_TRUE(doc().is_object());
  for (auto& o : documented_ops()) {
    std::string where = o.method + " " + o.path;
    std::set<std::string> in_path, declared;
    for (size_t i = o.path.find('{'); i != std::string::npos; i = o.path.find('{', i + 1))
      in_path.insert(o.path.substr(i + 1, o.path.find('}', i) - i - 1));
    auto collect = [&](const json& params) {
      for (auto& p0 : params) {
        const json& p = deref(doc(), p0);
        if (p.value("in", "") == "path") {
          declared.insert(p.value("name", ""));
          EXPECT_TRUE(p.value("required", false)) << where << ": path parameters are required";
        }
      }
    };
    const json& item = doc()["paths"][o.path];
    if (item.contains("parameters")) collect(item["parameters"]);
    if (o.op->contains("parameters")) collect((*o.op)["parameters"]);
    EXPECT_EQ(in_path, declared) << where;
  }
}

TEST(OpenApi, EveryRefResolvesAndCoreSchemasExist) {
  ASSERT_TRUE(doc().is_object());
  std::vector<std::string> bad;
  std::vector<const json*> stack{&doc()};
  while (!stack.empty()) {
    const json* n = stack.back();
    stack.pop_back();
    if (n->is_object()) {
      if (n->contains("$ref") && (*n)["$ref"].is_string() && !resolve(doc(), (*n)["$ref"].get<std::string>()))
        bad.push_back((*n)["$ref"].get<std::string>());
      for (auto& [k, v] : n->items()) stack.push_back(&v);
    } else if (n->is_array()) {
      for (auto& v : *n) stack.push_back(&v);
    }
  }
  EXPECT_TRUE(bad.empty()) << "unresolved $ref: " << (bad.empty() ? "" : bad.front());
  const json& schemas = doc()["components"]["schemas"];
  for (auto name : {"User", "Team", "Company", "Contact", "Visit", "Deal", "Target", "Settings", "Plan", "Review",
                    "RepMetrics", "AuditEntry", "Error"})
    EXPECT_TRUE(schemas.contains(name)) << "components.schemas." << name << " is missing";
  const json& err = schemas["Error"];
  ASSERT_TRUE(err.contains("properties") && err["properties"].contains("error"));
  EXPECT_TRUE(err["properties"]["error"]["properties"].contains("code"));
  EXPECT_TRUE(err["properties"]["error"]["properties"].contains("message"));
}

// Every number of the method's parameter set is documented in Settings (and in the
// PATCH body) with the range the server checks.
TEST(OpenApi, SettingsDocumentEveryMethodParameter) {
  const json& props = doc()["components"]["schemas"]["Settings"]["properties"];
  ASSERT_TRUE(props.is_object());
  for (auto& p : method::param_specs()) {
    ASSERT_TRUE(props.contains(p.name)) << "Settings." << p.name << " is not documented";
    const json& d = props[p.name];
    switch (p.kind) {
      case method::ParamKind::Int:
      case method::ParamKind::Money:
        EXPECT_EQ(d.value("type", ""), "integer") << p.name;
        EXPECT_EQ(d.value("minimum", int64_t(-1)), p.lo) << p.name;
        EXPECT_EQ(d.value("maximum", int64_t(-1)), p.hi) << p.name;
        break;
      case method::ParamKind::Share:
        EXPECT_EQ(d.value("type", ""), "number") << p.name;
        EXPECT_EQ(d.value("minimum", -1.0), p.dlo) << p.name;
        EXPECT_EQ(d.value("maximum", -1.0), p.dhi) << p.name;
        break;
      case method::ParamKind::Bool: EXPECT_EQ(d.value("type", ""), "boolean") << p.name; break;
      case method::ParamKind::ClockTime: EXPECT_EQ(d.value("type", ""), "string") << p.name; break;
    }
  }
}

}  // namespace
}  // namespace tj

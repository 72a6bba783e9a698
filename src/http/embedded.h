// Files compiled into the binary (cmake/embed.cmake): the OpenAPI document and the built web UI.
#pragma once
#include <cstddef>
namespace tj::embedded {
struct File {
  const char* path;          // URL path, e.g. "/index.html" or "/api/v1/openapi.json"
  const char* content_type;
  const char* data;
  size_t size;
  const char* gzip_data;  // the same bytes gzip-compressed, or nullptr
  size_t gzip_size;
};
extern const File kFiles[];  // ends with a {nullptr,...} entry
}  // namespace tj::embedded

# Adds the libFuzzer targets to the main project without changing its
# CMakeLists.txt: scripts/fuzz_http.sh configures the build with
#   -DCMAKE_PROJECT_INCLUDE=fuzz/fuzz.cmake
#   -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -DTIEJUN_SANITIZE=ON (ASan + UBSan)
# and a clang toolchain. The targets are defined once the whole CMakeLists.txt
# has been read (the layer targets exist by then).
function(tiejun_add_fuzzers)
  add_executable(http_fuzz ${CMAKE_SOURCE_DIR}/fuzz/http_fuzz.cpp)
  target_link_libraries(http_fuzz PRIVATE http store_open)
  target_compile_options(http_fuzz PRIVATE -fsanitize=fuzzer)
  target_link_options(http_fuzz PRIVATE -fsanitize=fuzzer)
endfunction()
cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL tiejun_add_fuzzers)

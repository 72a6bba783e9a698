# The layer rule, proved (included from CMakeLists.txt when TIEJUN_TESTS is on).
# For every layer target L and every layer folder F, an OBJECT library layer_probe_L__F
# (not built by default) preprocesses one real header of F with the include path and
# definitions L's own sources see. ctest layers_refuse_upward_includes
# (tests/layers/probe.cmake) builds them all: the pairs the rule below allows must
# preprocess, every other pair must stop at "No such file" for that header.
#
# The rule (docs/architecture.md): a layer may include its own folder and the folders below it.
set(TIEJUN_LAYER_RULE
  "common:common"
  "domain:common,domain"
  "method:common,domain,method"
  "io:common,domain,io"
  "tz:common,domain,tz"
  "store:common,domain,method,store"
  "sqlite:common,domain,method,store,sqlite"
  "postgres:common,domain,method,store,postgres"
  "store_open:common,domain,method,store,sqlite,postgres"
  "app:common,domain,method,io,tz,store,app"
  "http:common,domain,method,io,tz,store,app,http")
# one real header per folder
set(TIEJUN_LAYER_HEADERS
  "common:common/result.h" "domain:domain/entities.h" "method:method/method.h" "io:io/csv.h" "tz:tz/zone.h"
  "store:store/tx.h" "postgres:store/postgres/pg.h" "app:app/app.h" "http:http/api.h" "cli:cli/commands.h")

set(probe_dir ${CMAKE_BINARY_DIR}/layer_probes)
set(probe_allowed "")
set(probe_refused "")
foreach(rule ${TIEJUN_LAYER_RULE})
  string(REPLACE ":" ";" parts "${rule}")
  list(GET parts 0 layer)
  list(GET parts 1 allowed)
  string(REPLACE "," ";" allowed "${allowed}")
  foreach(hp ${TIEJUN_LAYER_HEADERS})
    string(REPLACE ":" ";" hparts "${hp}")
    list(GET hparts 0 folder)
    list(GET hparts 1 header)
    set(t layer_probe_${layer}__${folder})
    file(WRITE ${probe_dir}/${t}.cpp "// ${layer} includes ${folder}\n#include \"${header}\"\n")
    add_library(${t} OBJECT EXCLUDE_FROM_ALL ${probe_dir}/${t}.cpp)
    # L's usage requirements (evaluated transitively, as L's sources see them), without
    # linking L: linking would make the probe wait for L's libraries to be compiled.
    target_include_directories(${t} PRIVATE $<TARGET_PROPERTY:${layer},INTERFACE_INCLUDE_DIRECTORIES>)
    target_compile_definitions(${t} PRIVATE $<TARGET_PROPERTY:${layer},INTERFACE_COMPILE_DEFINITIONS>)
    target_compile_options(${t} PRIVATE -E)  # preprocess only: the question is what is reachable
    if(folder IN_LIST allowed)
      list(APPEND probe_allowed ${t})
    else()
      list(APPEND probe_refused "${t}=${header}")
    endif()
  endforeach()
endforeach()
add_test(NAME layers_refuse_upward_includes
  COMMAND ${CMAKE_COMMAND} -DBIN=${CMAKE_BINARY_DIR} -DSRC=${CMAKE_SOURCE_DIR}
          "-DALLOWED=${probe_allowed}" "-DREFUSED=${probe_refused}"
          -P ${CMAKE_SOURCE_DIR}/tests/layers/probe.cmake)
set_tests_properties(layers_refuse_upward_includes PROPERTIES TIMEOUT 1200)

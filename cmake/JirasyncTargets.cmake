# jirasync_unit_test(NAME dir LIBS ...): one GoogleTest binary from dir/*_test.cpp,
# registered with ctest under the label `unit`.
function(jirasync_unit_test name)
  cmake_parse_arguments(ARG "" "DIR" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${ARG_DIR}/*_test.cpp)
  if(NOT sources)
    return()
  endif()
  add_executable(${name} ${sources})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main)
  gtest_discover_tests(${name} PROPERTIES LABELS unit DISCOVERY_TIMEOUT 60)
endfunction()

# jirasync_library(NAME dir LIBS ...): a static library from dir/*.cpp minus tests and mains.
function(jirasync_library name)
  cmake_parse_arguments(ARG "" "DIR" "LIBS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${ARG_DIR}/*.cpp)
  list(FILTER sources EXCLUDE REGEX "(_test|main)\\.cpp$")
  if(sources)
    add_library(${name} STATIC ${sources})
    target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${ARG_LIBS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${ARG_LIBS})
  endif()
endfunction()
include(GoogleTest)

# jirasync_role(NAME LIBS ...): the role under services/NAME: its logic as the
# library jirasync_NAME (unit-tested by NAME_test with the shared fakes) and
# main.cpp as the process jirasync-NAME, which the sanitizer job skips.
# LIBS are the common/ libraries the role's own code includes.
function(jirasync_role name)
  cmake_parse_arguments(ARG "" "" "LIBS" ${ARGN})
  set(dir ${CMAKE_CURRENT_SOURCE_DIR})
  jirasync_library(jirasync_${name} DIR ${dir} LIBS ${ARG_LIBS} prometheus-cpp::core
                   spdlog::spdlog)
  jirasync_unit_test(${name}_test DIR ${dir} LIBS jirasync_${name} jirasync_fakes)
  if(NOT JIRASYNC_UNIT_ONLY)
    add_executable(jirasync-${name} ${dir}/main.cpp)
    target_link_libraries(jirasync-${name} PRIVATE jirasync_${name} jirasync_service)
    install(TARGETS jirasync-${name} RUNTIME DESTINATION bin)
  endif()
endfunction()

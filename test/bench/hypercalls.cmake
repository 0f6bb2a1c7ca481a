# Hypercalls needed to map shared info and the grant frames, batch against one at a time (recording fake).
if(TARGET flb_build)
  add_executable(hypercalls_bench ${CMAKE_CURRENT_LIST_DIR}/hypercalls.c)
  target_link_libraries(hypercalls_bench PRIVATE flb_fake flb_build_test_util)
  add_dependencies(bench hypercalls_bench)
  add_custom_command(TARGET bench POST_BUILD COMMAND hypercalls_bench USES_TERMINAL)
  add_test(NAME bench_hypercalls_runs COMMAND hypercalls_bench)
  set_tests_properties(bench_hypercalls_runs PROPERTIES LABELS bench)
endif()

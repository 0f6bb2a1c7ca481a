# The Xen toolstack libraries, as two interface targets:
#   flb_xen_headers    Xen's public headers alone (no library): for code that names Xen's constants.
#   flb_xen_libraries  libxlutil and the libraries it and the backend need, static or shared.
#
# With FLB_STATIC_XEN (the default) every Xen library comes from its static archive, or configuring
# fails naming the missing one: loading libxlutil's shared chain (libxenlight and its dependencies,
# 21 shared objects) was most of a process start in dom0, where every page-table update is a
# hypercall. The libraries those archives use (compression, JSON, UUIDs) are linked static where an
# archive is installed and shared otherwise; the summary says which.

pkg_check_modules(FLB_XEN REQUIRED IMPORTED_TARGET
  xlutil xencontrol xenguest xenstore xenevtchn xenforeignmemory xentoollog)

add_library(flb_xen_headers INTERFACE)
target_include_directories(flb_xen_headers INTERFACE ${FLB_XEN_INCLUDE_DIRS})

add_library(flb_xen_libraries INTERFACE)
set(FLB_XEN_LINKED_STATIC "")
set(FLB_XEN_LINKED_SHARED "")

if(NOT FLB_STATIC_XEN)
  target_link_libraries(flb_xen_libraries INTERFACE PkgConfig::FLB_XEN)
  set(FLB_XEN_LINKED_SHARED "xlutil and its dependencies (pkg-config)")
else()
  # In link order: libxlutil.a needs libxenlight.a (libxl_defbool_set), which needs the rest.
  set(archives xlutil xenlight xenguest xenctrl xenstore xenforeignmemory xenevtchn xendevicemodel
      xengnttab xencall xenhypfs xentoollog xentoolcore)
  set(libs "")
  foreach(lib ${archives})
    find_library(FLB_ARCHIVE_${lib} NAMES lib${lib}.a HINTS ${FLB_XEN_LIBRARY_DIRS})
    if(NOT FLB_ARCHIVE_${lib})
      message(FATAL_ERROR "lib${lib}.a not found: install libxen-dev with its static archives, "
                          "or configure with -DFLB_STATIC_XEN=OFF to link the shared libraries")
    endif()
    if(lib STREQUAL "xenguest")
      # Its ELF and bzImage loaders register themselves from constructors in objects nothing
      # references: without the whole archive, no loader is found.
      list(APPEND libs -Wl,--whole-archive ${FLB_ARCHIVE_${lib}} -Wl,--no-whole-archive)
    else()
      list(APPEND libs ${FLB_ARCHIVE_${lib}})
    endif()
    list(APPEND FLB_XEN_LINKED_STATIC ${lib})
  endforeach()
  # What the archives use. Some distributions ship only the shared object's soname; Debian names
  # yajl's archive libyajl_s.a.
  foreach(dep lzma:liblzma.so.5 zstd:libzstd.so.1 z:libz.so.1 bz2:libbz2.so.1.0 uuid:libuuid.so.1
          yajl:libyajl.so.2)
    string(REPLACE ":" ";" dep ${dep})
    list(GET dep 0 name)
    list(GET dep 1 soname)
    find_library(FLB_DEP_${name} NAMES lib${name}.a lib${name}_s.a ${name} ${soname})
    if(NOT FLB_DEP_${name})
      message(FATAL_ERROR "lib${name} not found: the Xen archives need it (test/install-deps installs it)")
    endif()
    list(APPEND libs ${FLB_DEP_${name}})
    if(FLB_DEP_${name} MATCHES "\\.a$")
      list(APPEND FLB_XEN_LINKED_STATIC ${name})
    else()
      list(APPEND FLB_XEN_LINKED_SHARED ${name})
    endif()
  endforeach()
  target_include_directories(flb_xen_libraries INTERFACE ${FLB_XEN_INCLUDE_DIRS})
  target_link_libraries(flb_xen_libraries INTERFACE ${libs})
endif()

# What -V names: each library with the version pkg-config reported, and how it was linked.
set(FLB_XEN_VERSIONS "")
foreach(m xencontrol xenguest xenstore xenevtchn xenforeignmemory xentoollog xlutil)
  list(APPEND FLB_XEN_VERSIONS "${m} ${FLB_XEN_${m}_VERSION}")
endforeach()
string(REPLACE ";" ", " FLB_XEN_VERSIONS "${FLB_XEN_VERSIONS}")
if(FLB_STATIC_XEN)
  string(PREPEND FLB_XEN_VERSIONS "(static): ")
else()
  string(PREPEND FLB_XEN_VERSIONS "(shared): ")
endif()

# The Xen release the libraries belong to, as libxenctrl's pkg-config version says (4.17.0 for
# 4.17.x): a live build refuses a hypervisor older than that (lib/domain/host.c), whose domctl
# and sysctl interfaces these libraries do not speak. Not the public headers'
# __XEN_LATEST_INTERFACE_VERSION__: Xen stopped raising it (4.17's headers still say 4.14).
if(NOT FLB_XEN_xencontrol_VERSION MATCHES "^([0-9]+)\\.([0-9]+)")
  message(FATAL_ERROR "pkg-config gives xencontrol the version '${FLB_XEN_xencontrol_VERSION}', not "
                      "MAJOR.MINOR: check libxen-dev's xencontrol.pc")
endif()
set(FLB_XEN_BUILT_MAJOR ${CMAKE_MATCH_1})
set(FLB_XEN_BUILT_MINOR ${CMAKE_MATCH_2})
target_compile_definitions(flb_xen_headers INTERFACE FLB_XEN_BUILT_MAJOR=${FLB_XEN_BUILT_MAJOR}
                                                     FLB_XEN_BUILT_MINOR=${FLB_XEN_BUILT_MINOR})

string(REPLACE ";" " " static_list "${FLB_XEN_LINKED_STATIC}")
string(REPLACE ";" " " shared_list "${FLB_XEN_LINKED_SHARED}")
message(STATUS "Xen libraries, static: ${static_list}")
message(STATUS "Xen libraries, shared: ${shared_list}")

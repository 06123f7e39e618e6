# Every public header has a C and a C++ translation unit in the header test.
file(GLOB c_units ${DIR}/*.c)
file(GLOB cpp_units ${DIR}/*.cpp)
list(LENGTH c_units nc)
list(LENGTH cpp_units ncpp)
if(NOT nc EQUAL COUNT OR NOT ncpp EQUAL COUNT OR COUNT LESS 10)
  message(FATAL_ERROR "header test covers ${nc} C and ${ncpp} C++ units for ${COUNT} headers")
endif()
message(STATUS "header test: ${COUNT} headers, each alone as C99 and C++")

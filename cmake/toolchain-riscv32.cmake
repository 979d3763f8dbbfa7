# Cross build for RISC-V rv32imac (ilp32) with riscv64-unknown-elf-gcc.
# Usage: cmake -B build/rv32 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-riscv32.cmake
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_AR riscv64-unknown-elf-ar)
set(CMAKE_RANLIB riscv64-unknown-elf-ranlib)
set(CMAKE_SIZE riscv64-unknown-elf-size)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
# No C library here: -ffreestanding makes <stdint.h> and friends the compiler's own.
set(CMAKE_C_FLAGS_INIT "-march=rv32imac_zicsr -mabi=ilp32 -mcmodel=medany -ffreestanding")
# Link with -march=rv32imac (no _zicsr) so gcc picks the rv32imac/ilp32 multilib libgcc.
set(CMAKE_EXE_LINKER_FLAGS_INIT "-march=rv32imac -mabi=ilp32 -nostdlib -Wl,--gc-sections")
set(CMAKE_ASM_FLAGS_INIT "-march=rv32imac_zicsr -mabi=ilp32")
set(CMAKE_C_FLAGS_MINSIZEREL_INIT "-Os -DNDEBUG")
set(CMAKE_BUILD_TYPE MinSizeRel CACHE STRING "")
set(AMPLINK_ARCH riscv CACHE STRING "")

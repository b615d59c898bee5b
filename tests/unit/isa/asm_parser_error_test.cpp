// Every parse error is one line naming the source and line, and says what is wrong.

#include <gtest/gtest.h>

#include "arch/user_error.h"
#include "isa/asm_parser.h"
#include "isa/asm_printer.h"
#include "tests/unit/isa/sample_program.h"

namespace npu::isa {
namespace {

// Two layers and one valid instruction of each stream, so a test appends or edits one line.
const std::string kHeader =
    ".layer 0 name=\"conv1\" op=\"conv2d\" shape=1x4 macs=1 params=1 mapping=\"\"\n"  // 1
    ".layer 1 name=\"relu\" op=\"act\" shape=1x4 macs=0 params=0 mapping=\"\"\n"      // 2
    "0 @0 load.dma dram=0x0 sram=input+0x0 rows=1 row_bytes=4 dram_stride=4 "
    "sram_stride=4\n"                                         // 3
    "1 @0 mx.preload w=weight+0x0 k=4 n=4 stride=4 deps=0\n"  // 4
    "2 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 src_stride=4 dst_stride=4 "
    "src_type=int8 dst_type=int8 act=relu deps=1\n";  // 5

// The message of the UserError that parsing `text` throws, or "" if it parses.
std::string error_of(const std::string& text) {
  try {
    parse_asm(text, "t.asm");
  } catch (const UserError& error) {
    const std::string message = error.what();
    EXPECT_EQ(message.find('\n'), std::string::npos) << "not one line: " << message;
    return message;
  }
  return "";
}

// `line` as instruction 3 (line 6) after the header.
std::string error_of_line(const std::string& line) { return error_of(kHeader + line + "\n"); }

const std::string kMatmulFields =
    "in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 acc_stride=4 "
    "win=img1x1:rows0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1";

TEST(AsmParserErrors, HeaderIsValid) {
  EXPECT_EQ(error_of(kHeader), "");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=0,2"), "");
}

TEST(AsmParserErrors, UnknownMnemonicSuggestsTheClosest) {
  EXPECT_EQ(error_of_line("3 @0 mx.matmull " + kMatmulFields),
            "t.asm:6: unknown mnemonic 'mx.matmull' (did you mean 'mx.matmul'?)");
  EXPECT_EQ(error_of_line("3 @0 vec.relu src0=input+0x0"),
            "t.asm:6: unknown mnemonic 'vec.relu' (did you mean 'vec.act' with act=relu?)");
  EXPECT_EQ(error_of_line("3 @0 vec.maxpol src0=input+0x0"),
            "t.asm:6: unknown mnemonic 'vec.maxpol' (did you mean 'vec.maxpool'?)");
  EXPECT_EQ(error_of_line("3 @0 frobnicate"), "t.asm:6: unknown mnemonic 'frobnicate'");
}

TEST(AsmParserErrors, MissingField) {
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=4 stride=4"),
            "t.asm:6: mx.preload: missing field 'n'");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 acc_stride=4"),
            "t.asm:6: mx.matmul: missing field 'win'");
  // Pooling needs its window; other vector ops may leave it out.
  EXPECT_EQ(error_of_line("3 @1 vec.maxpool src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 act=none"),
            "t.asm:6: vec.maxpool: missing field 'win'");
}

TEST(AsmParserErrors, UnknownOrRepeatedField) {
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=4 n=4 strid=4"),
            "t.asm:6: mx.preload: unknown field 'strid' (did you mean 'stride'?)");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=4 k=4 n=4 stride=4"),
            "t.asm:6: mx.preload: field 'k' given twice");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k n=4 stride=4"),
            "t.asm:6: mx.preload: field 'k' needs a value (k=...)");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + " accumulate=1"),
            "t.asm:6: mx.matmul: 'accumulate' is a flag and takes no value");
  EXPECT_EQ(error_of_line("3 @1 vec.add src0=output+0x0 src1=input+0x0 src1_unused=input+0x0 "
                          "dst=output+0x0 rows=1 cols=4 src_stride=4 dst_stride=4 src_type=int8 "
                          "dst_type=int8 act=none"),
            "t.asm:6: vec.add: give either src1 (an operand) or src1_unused (an ignored address), "
            "not both");
  EXPECT_EQ(error_of_line("3 @1 vec.softmax src0=output+0x0 params=weight+0x0 "
                          "params_unused=weight+0x0 dst=output+0x0 rows=1 cols=4 src_stride=4 "
                          "dst_stride=4 src_type=int8 dst_type=int8 act=none"),
            "t.asm:6: vec.softmax: give either params (the op's constants) or params_unused (an "
            "ignored address), not both");
  EXPECT_EQ(error_of_line("3 @1 vec.softmax src0=output+0x0 param=weight+0x0 dst=output+0x0 "
                          "rows=1 cols=4 src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 "
                          "act=none"),
            "t.asm:6: vec.softmax: unknown field 'param' (did you mean 'params'?)");
  EXPECT_EQ(error_of_line("3 @1 vec.layernorm src0=output+0x0 params=0x40 dst=output+0x0 rows=1 "
                          "cols=4 src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 act=none"),
            "t.asm:6: vec.layernorm: params: expected an SRAM address buffer+offset (e.g. "
            "input+0x0), got '0x40'");
}

TEST(AsmParserErrors, BadNumbers) {
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=4x n=4 stride=4"),
            "t.asm:6: mx.preload: k: expected a number (decimal or 0x hex), got '4x'");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=-4 n=4 stride=4"),
            "t.asm:6: mx.preload: k: expected a number (decimal or 0x hex), got '-4'");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=4294967296 n=4 stride=4"),
            "t.asm:6: mx.preload: k: 4294967296 is out of range (0..4294967295)");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=99999999999999999999 n=4 stride=4"),
            "t.asm:6: mx.preload: k: 99999999999999999999 is out of range (0..4294967295)");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=weight+0x0 k=\"4\" n=4 stride=4"),
            "t.asm:6: mx.preload: k: expected an unquoted value");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields.substr(0, kMatmulFields.size() - 3) +
                          "ow1:rows0+4"),
            "t.asm:6: mx.matmul: win: part 'rows' given twice");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=4 n=4 acc=output+0x0 acc_stride=4 "
                          "win=img1x1:rows0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1"),
            "t.asm:6: mx.matmul: k: expected begin+count, got '4'");
  EXPECT_EQ(error_of(".layer 0 name=a op=b shape=1x2 macs=-9223372036854775809 params=0 "
                     "mapping=\"\""),
            "t.asm:1: .layer: macs: -9223372036854775809 is out of range "
            "(-9223372036854775808..9223372036854775807)");
  EXPECT_EQ(error_of(".layer 0 name=a op=b shape=1xax2 macs=0 params=0 mapping=\"\""),
            "t.asm:1: .layer: shape: expected a decimal number, got 'a'");
}

TEST(AsmParserErrors, BadWindow) {
  EXPECT_EQ(error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 "
                          "acc_stride=4 win=img1x1:rows0+4:ch4:k1x1:s1x1:d1x1:orow0:ow1"),
            "t.asm:6: mx.matmul: win: missing part 'pad'");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 "
                          "acc_stride=4 win=img1x1:row0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1"),
            "t.asm:6: mx.matmul: win: unknown part 'row0+4' (did you mean 'rows'?); expected "
            "img<H>x<W>:rows<first>+<count>:ch<C>:k<H>x<W>:s<H>x<W>:d<H>x<W>:pad<top>x<left>:"
            "orow<R>:ow<W>[:pv<pad value>][:chs<first>+<count>]");
  EXPECT_EQ(
      error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 "
                    "acc_stride=4 win=img1x1:rows0+4:ch4:k65536x1:s1x1:d1x1:pad0x0:orow0:ow1"),
      "t.asm:6: mx.matmul: win.k: 65536 is out of range (0..65535)");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul in=input+0x0 m=4 k=0+4 n=4 acc=output+0x0 "
                          "acc_stride=4 win=img1:rows0+4:ch4:k1x1:s1x1:d1x1:pad0x0:orow0:ow1"),
            "t.asm:6: mx.matmul: win.img: expected HxW, got '1'");
  // pad_value is an int16: at the limits it parses, one past them it does not.
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + ":pv-32768"), "");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + ":pv32767"), "");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":pv32768"),
            "t.asm:6: mx.matmul: win.pv: 32768 is out of range (-32768..32767)");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":pv-32769"),
            "t.asm:6: mx.matmul: win.pv: -32769 is out of range (-32768..32767)");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":pv"),
            "t.asm:6: mx.matmul: win.pv: expected a number (decimal or 0x hex), got ''");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":pv1:pv2"),
            "t.asm:6: mx.matmul: win: part 'pv' given twice");
}

TEST(AsmParserErrors, BadChannelSlice) {
  // kMatmulFields has ch4: a slice may end at channel 3 (the limit), not one past it.
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + ":chs0+4"), "");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + ":chs3+1"), "");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs3+2"),
            "t.asm:6: mx.matmul: win.chs: channels 3..4 lie outside the patch's 4 channels");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs4+1"),
            "t.asm:6: mx.matmul: win.chs: channels 4..4 lie outside the patch's 4 channels");
  // Past uint32: the sum must not wrap into range.
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs4294967295+2"),
            "t.asm:6: mx.matmul: win.chs: channels 4294967295..4294967296 lie outside the "
            "patch's 4 channels");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs1+0"),
            "t.asm:6: mx.matmul: win.chs: the slice needs at least one channel");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs1"),
            "t.asm:6: mx.matmul: win.chs: expected begin+count, got '1'");
  EXPECT_EQ(error_of_line("3 @0 mx.matmul " + kMatmulFields + ":chs0+1:chs1+1"),
            "t.asm:6: mx.matmul: win: part 'chs' given twice");
}

TEST(AsmParserErrors, BadNamesSuggestTheClosest) {
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=wieght+0x0 k=4 n=4 stride=4"),
            "t.asm:6: mx.preload: w buffer: unknown name 'wieght' (did you mean 'weight'?); "
            "expected one of input, weight, output");
  EXPECT_EQ(error_of_line("3 @0 mx.preload w=0x40 k=4 n=4 stride=4"),
            "t.asm:6: mx.preload: w: expected an SRAM address buffer+offset (e.g. input+0x0), got "
            "'0x40'");
  EXPECT_EQ(error_of_line("3 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_type=int8 dst_type=int8 act=relu8"),
            "t.asm:6: vec.act: act: unknown name 'relu8' (did you mean 'relu'?); expected one of "
            "none, relu, relu6, sigmoid, tanh, gelu");
  // Element types are names, not sizes: fp16 and bf16 are both two bytes.
  EXPECT_EQ(error_of_line("3 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_type=fp61 dst_type=fp16 act=none"),
            "t.asm:6: vec.act: src_type: unknown name 'fp61' (did you mean 'fp16'?); expected one "
            "of int8, int32, fp16, bf16, fp32, int4");
  EXPECT_EQ(error_of_line("3 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_type=int8 dst_type=bfloat16 act=none"),
            "t.asm:6: vec.act: dst_type: unknown name 'bfloat16'; expected one of int8, int32, "
            "fp16, bf16, fp32, int4");
  EXPECT_EQ(error_of_line("3 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_type=1 dst_type=int8 act=none"),
            "t.asm:6: vec.act: src_type: unknown name '1'; expected one of int8, int32, fp16, "
            "bf16, fp32, int4");
  // The old byte-size fields are gone; the parser points at their replacement.
  EXPECT_EQ(error_of_line("3 @1 vec.act src0=output+0x0 dst=output+0x0 rows=1 cols=4 "
                          "src_stride=4 dst_stride=4 src_bytes=1 dst_type=int8 act=none"),
            "t.asm:6: vec.act: unknown field 'src_bytes' (did you mean 'src_type'?)");
}

TEST(AsmParserErrors, DependencyOnANonEarlierInstruction) {
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=3"),
            "t.asm:6: mx.matmul: dependency 3 is not an earlier instruction (this is 3)");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=0,7"),
            "t.asm:6: mx.matmul: dependency 7 is not an earlier instruction (this is 3)");
}

TEST(AsmParserErrors, DependencyOnTheSameStream) {
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=1"),
            "t.asm:6: mx.matmul: dependency 1 is in the same stream (matrix); a stream runs in "
            "order, so deps may only name other streams");
}

TEST(AsmParserErrors, DependenciesMustAscend) {
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=2,0"),
            "t.asm:6: mx.matmul: deps must be in ascending order without repeats (2 then 0)");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=2,2"),
            "t.asm:6: mx.matmul: deps must be in ascending order without repeats (2 then 2)");
  EXPECT_EQ(error_of_line("3 @1 mx.matmul " + kMatmulFields + " deps=0,"),
            "t.asm:6: mx.matmul: deps: expected a number (decimal or 0x hex), got ''");
}

TEST(AsmParserErrors, LayerOutOfRange) {
  EXPECT_EQ(error_of_line("3 @2 mx.matmul " + kMatmulFields),
            "t.asm:6: layer @2 does not exist (the program has 2 .layer directives)");
  // Reported at the instruction even when it is found only at the end of the file.
  EXPECT_EQ(error_of_line("3 @2 mx.matmul " + kMatmulFields + "\n\n; trailing comment"),
            "t.asm:6: layer @2 does not exist (the program has 2 .layer directives)");
}

TEST(AsmParserErrors, IndexAndLayerColumns) {
  EXPECT_EQ(error_of_line("4 @0 mx.matmul " + kMatmulFields),
            "t.asm:6: instruction index 4 out of sequence (expected 3)");
  EXPECT_EQ(error_of_line("3 mx.matmul " + kMatmulFields),
            "t.asm:6: expected the layer as '@<layer>' after instruction index 3");
  EXPECT_EQ(error_of_line("3 @x mx.matmul " + kMatmulFields),
            "t.asm:6: layer: expected a number (decimal or 0x hex), got 'x'");
  EXPECT_EQ(error_of_line("mx.matmul " + kMatmulFields),
            "t.asm:6: 'mx.matmul' needs its index and layer first: <index> @<layer> mx.matmul ...");
  EXPECT_EQ(error_of_line("hello world"),
            "t.asm:6: expected '<index> @<layer> <mnemonic> fields...', '.layer' or '.tensor', "
            "got 'hello'");
}

TEST(AsmParserErrors, Directives) {
  EXPECT_EQ(error_of(".layers 0"), "t.asm:1: unknown directive '.layers' (did you mean '.layer'?)");
  EXPECT_EQ(error_of(".layer 1 name=a op=b shape=1 macs=0 params=0 mapping=c"),
            "t.asm:1: .layer: index 1 out of sequence (expected 0)");
  EXPECT_EQ(error_of(".layer name=a"), "t.asm:1: .layer: expected the layer index after .layer");
  EXPECT_EQ(error_of(".tensor name=a addr=0x0"), "t.asm:1: .tensor: missing field 'bytes'");
  EXPECT_EQ(error_of(".tensor name=a addr=0x0 bytes=1 size=2"),
            "t.asm:1: .tensor: unknown field 'size'");
}

TEST(AsmParserErrors, Strings) {
  EXPECT_EQ(error_of(".tensor name=\"abc addr=0x0 bytes=1"),
            "t.asm:1: unterminated string (missing closing '\"')");
  EXPECT_EQ(error_of(".tensor name=\"a\\qb\" addr=0x0 bytes=1"),
            "t.asm:1: unknown escape '\\q' in a string");
  EXPECT_EQ(error_of(".tensor name=\"a\\x4\" addr=0x0 bytes=1"),
            "t.asm:1: '\\x' in a string needs two hex digits");
  EXPECT_EQ(error_of(".tensor name=\"a\"b addr=0x0 bytes=1"),
            "t.asm:1: expected a space after the closing '\"' of field 'name'");
  EXPECT_EQ(error_of(".tensor name=a\"b\" addr=0x0 bytes=1"),
            "t.asm:1: field 'name': a quoted value must start right after '='");
  EXPECT_EQ(error_of(".tensor \"name\" addr=0x0 bytes=1"),
            "t.asm:1: unexpected '\"': only a field's value can be quoted");
  EXPECT_EQ(error_of(".tensor =1"), "t.asm:1: expected a field name before '='");
}

TEST(AsmParserErrors, LineNumbersCountBlankAndCommentLines) {
  EXPECT_EQ(error_of("; one\n\r\n   \n; four\n.tensr name=a\n"),
            "t.asm:5: unknown directive '.tensr' (did you mean '.tensor'?)");
}

// Damaged text either still parses or fails with a UserError naming a line: deleting, doubling or
// replacing any single character of a full listing never crashes the parser or escapes as another
// exception type.
TEST(AsmParserErrors, DamagedTextOnlyEverThrowsUserError) {
  const std::string text = to_asm(testing::sample_program());
  size_t errors = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    for (int edit = 0; edit < 3; ++edit) {
      std::string damaged = text;
      if (edit == 0) damaged.erase(i, 1);
      if (edit == 1) damaged.insert(i, 1, damaged[i]);
      if (edit == 2) damaged[i] = '"';
      try {
        parse_asm(damaged, "t.asm");
      } catch (const UserError& error) {
        ++errors;
        EXPECT_EQ(std::string(error.what()).rfind("t.asm:", 0), 0u) << error.what();
      }
    }
  }
  EXPECT_GT(errors, text.size());  // most single-character damage is caught
}

}  // namespace
}  // namespace npu::isa

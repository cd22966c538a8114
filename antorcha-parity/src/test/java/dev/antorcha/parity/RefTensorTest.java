package dev.antorcha.parity;

import dev.antorcha.io.Json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tests for {@link RefTensor} decoding and validation, on hand-made TENSOR objects. */
class RefTensorTest {

    @SuppressWarnings("unchecked")
    static RefTensor tensor(String name, String json) {
        return RefTensor.fromJson(name, (Map<String, Object>) Json.parse(json));
    }

    @Test
    void fullFloat32() {
        var t = tensor("x", """
                {"shape":[2,3],"dtype":"float32","layout":"full",
                 "data":[0.10000000149011612,-1.1258398294448853,2,0.0,-0.0,100.27336883544922]}""");
        assertThat(t.name()).isEqualTo("x");
        assertThat(t.shape()).containsExactly(2, 3);
        assertThat(t.numel()).isEqualTo(6);
        assertThat(t.isSampled()).isFalse();
        assertThat(t.dtype()).isEqualTo("float32");
        assertThat(t.layout()).isEqualTo("full");
        assertThat(t.floats()).containsExactly(0.1f, -1.1258398f, 2f, 0f, -0f, 100.27337f);
        assertThat(Float.floatToRawIntBits(t.floats()[4])).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(t.longValues()).isNull();
        assertThat(t.stats()).isNull();
        assertThat(t.sampleStart()).isZero();
        assertThat(t.sampleStride()).isEqualTo(1);
        assertThatThrownBy(t::longs).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'x'").hasMessageContaining("float32");
    }

    @Test
    void scalar() {
        var t = tensor("loss", "{\"shape\":[],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[2.3025851249694824]}");
        assertThat(t.numel()).isEqualTo(1);
        assertThat(t.shape()).isEmpty();
        assertThat(t.floats()).containsExactly(2.3025851f);
    }

    @Test
    void intScaled() {
        var t = tensor("init/w", """
                {"shape":[4],"dtype":"float32","layout":"int_scaled","scale":0.000244140625,
                 "int_data":[-1,4096,3,-8192]}""");
        assertThat(t.layout()).isEqualTo("int_scaled");
        assertThat(t.floats()).containsExactly(-0.000244140625f, 1f, 3 * 0.000244140625f, -2f);
        var x = tensor("x", "{\"shape\":[1,2],\"dtype\":\"float32\",\"layout\":\"int_scaled\",\"scale\":0.00390625,\"int_data\":[172,256]}");
        assertThat(x.floats()).containsExactly(172f / 256f, 1f);
    }

    @Test
    void int64() {
        var t = tensor("target", "{\"shape\":[3],\"dtype\":\"int64\",\"layout\":\"full\",\"data\":[8,-3,9007199254740993]}");
        assertThat(t.longs()).containsExactly(8L, -3L, 9007199254740993L);
        assertThat(t.values()).isNull();
        assertThatThrownBy(t::floats).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'target' has dtype int64, not float32");
    }

    @Test
    void stridedSample() {
        // numel 10, start 1, stride 3 -> flat indices 1, 4, 7 (ceil(9 / 3) = 3 samples)
        var t = tensor("dW", """
                {"shape":[2,5],"dtype":"float32","layout":"strided_sample","sample_start":1,"sample_stride":3,
                 "data":[0.5,-0.25,1.5],
                 "stats":{"sum":1.75,"abs_sum":4.25,"sq_sum":3.5,"min":-1.0,"max":1.5}}""");
        assertThat(t.isSampled()).isTrue();
        assertThat(t.numel()).isEqualTo(10);
        assertThat(t.sampleStart()).isEqualTo(1);
        assertThat(t.sampleStride()).isEqualTo(3);
        assertThat(t.floats()).containsExactly(0.5f, -0.25f, 1.5f);
        assertThat(t.stats()).isEqualTo(new RefTensor.Stats(1.75, 4.25, 3.5, -1.0, 1.5));
        // start 0, stride 3 over 10 elements -> 0, 3, 6, 9 (4 samples)
        var u = tensor("u", """
                {"shape":[10],"dtype":"float32","layout":"strided_sample","sample_start":0,"sample_stride":3,
                 "data":[1,2,3,4],"stats":{"sum":0,"abs_sum":0,"sq_sum":0,"min":0,"max":0}}""");
        assertThat(u.floats()).hasSize(4);
        assertThat(u.toString()).contains("strided_sample").contains("stride=3");
    }

    @Test
    void stridedSampleLengthMustMatch() {
        assertThatThrownBy(() -> tensor("dW", """
                {"shape":[2,5],"dtype":"float32","layout":"strided_sample","sample_start":1,"sample_stride":3,
                 "data":[0.5,-0.25,1.5,2],"stats":{"sum":0,"abs_sum":0,"sq_sum":0,"min":0,"max":0}}"""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'dW' has 4 elements in 'data', expected 3");
        assertThatThrownBy(() -> tensor("dW", """
                {"shape":[2,5],"dtype":"float32","layout":"strided_sample","sample_start":10,"sample_stride":3,
                 "data":[],"stats":{"sum":0,"abs_sum":0,"sq_sum":0,"min":0,"max":0}}"""))
                .hasMessageContaining("tensor 'dW' has sample_start 10 outside [0, 10)");
        assertThatThrownBy(() -> tensor("dW", """
                {"shape":[2,5],"dtype":"float32","layout":"strided_sample","sample_start":0,"sample_stride":0,
                 "data":[],"stats":{"sum":0,"abs_sum":0,"sq_sum":0,"min":0,"max":0}}"""))
                .hasMessageContaining("sample_stride 0");
        assertThatThrownBy(() -> tensor("dW", """
                {"shape":[2],"dtype":"float32","layout":"strided_sample","sample_start":0,"sample_stride":1,
                 "data":[1,2],"stats":{"sum":0,"abs_sum":0,"sq_sum":0,"min":0}}"""))
                .hasMessageContaining("tensor 'dW' has no number 'stats.max'");
        assertThatThrownBy(() -> tensor("dW", """
                {"shape":[2],"dtype":"float32","layout":"strided_sample","sample_start":0,"sample_stride":1,"data":[1,2]}"""))
                .hasMessageContaining("no object field 'stats'");
    }

    @Test
    void fullLengthMustMatchShape() {
        assertThatThrownBy(() -> tensor("y", "{\"shape\":[2,3],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[1,2,3,4,5]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tensor 'y' has 5 elements in 'data', expected 6");
        assertThatThrownBy(() -> tensor("w", """
                {"shape":[3],"dtype":"float32","layout":"int_scaled","scale":0.5,"int_data":[1,2]}"""))
                .hasMessage("tensor 'w' has 2 elements in 'int_data', expected 3");
        assertThatThrownBy(() -> tensor("t", "{\"shape\":[2],\"dtype\":\"int64\",\"layout\":\"full\",\"data\":[1]}"))
                .hasMessage("tensor 't' has 1 elements in 'data', expected 2");
    }

    @Test
    void rejectsUnknownOrInconsistentFields() {
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float16\",\"layout\":\"full\",\"data\":[1]}"))
                .hasMessage("tensor 'a' has unknown dtype 'float16'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float32\",\"layout\":\"sparse\",\"data\":[1]}"))
                .hasMessage("tensor 'a' has unknown layout 'sparse'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"int64\",\"layout\":\"int_scaled\",\"data\":[1]}"))
                .hasMessageContaining("tensor 'a' has dtype int64 with layout 'int_scaled'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"int64\",\"layout\":\"full\",\"data\":[1.5]}"))
                .hasMessageContaining("tensor 'a' data[0] is not an integer");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[\"x\"]}"))
                .hasMessageContaining("tensor 'a' data[0] is not a number");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[1e39]}"))
                .hasMessageContaining("outside the float32 range");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float32\",\"layout\":\"int_scaled\",\"scale\":0.5,\"int_data\":[1.5]}"))
                .hasMessageContaining("int_data[0] is not an integer");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"dtype\":\"float32\",\"layout\":\"int_scaled\",\"int_data\":[1]}"))
                .hasMessageContaining("no number field 'scale'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[-1],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[]}"))
                .hasMessageContaining("tensor 'a' has invalid shape [-1]");
        assertThatThrownBy(() -> tensor("a", "{\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[]}"))
                .hasMessageContaining("tensor 'a' has no array field 'shape'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[1],\"layout\":\"full\",\"data\":[1]}"))
                .hasMessageContaining("tensor 'a' has no string field 'dtype'");
        assertThatThrownBy(() -> tensor("a", "{\"shape\":[65536,65536],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[]}"))
                .hasMessageContaining("too many elements");
    }

    @Test
    void equalityIsByContent() {
        String json = "{\"shape\":[2],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[1,2]}";
        var a = tensor("x", json);
        var b = tensor("x", json);
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(tensor("y", json));
        assertThat(a).isNotEqualTo(tensor("x", "{\"shape\":[2],\"dtype\":\"float32\",\"layout\":\"full\",\"data\":[1,3]}"));
        assertThat(a.toString()).contains("x float32[2] full").contains("1.0, 2.0");
    }
}

import java.util.HashMap;
import java.util.Map;

/**
 * A fixed piece of JVM work for tools/ci-cpu, run as a source file (so javac's classes load and
 * compile it first, as a test JVM loads its classes): strings, a hash map, the garbage they leave.
 * Its CPU time says how much work a CPU second of the machine did at that moment.
 */
public class ReferenceWork {
    public static void main(String[] args) {
        long sum = 0;
        for (int round = 0; round < 20; round++) {
            Map<String, Integer> map = new HashMap<>();
            for (int i = 0; i < 50_000; i++) {
                map.put("key-" + i, i);
            }
            for (int i = 0; i < 50_000; i++) {
                sum += map.get("key-" + i);
            }
        }
        System.out.println(sum);
    }
}

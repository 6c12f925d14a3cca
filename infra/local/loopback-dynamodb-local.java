// Starts DynamoDB Local (its jar on the class path) listening on 127.0.0.1 only. Its own main binds
// every interface and has no host option; run in source-file mode by infra/local/emulators.ts:
//   java -cp DynamoDBLocal.jar loopback-dynamodb-local.java -inMemory -port N ...
import java.lang.reflect.Field;

public class LoopbackDynamoDbLocal {
  public static void main(String[] args) throws Exception {
    Object proxy = Class.forName("software.amazon.dynamodb.services.local.main.ServerRunner")
        .getMethod("createServerFromCommandLineArgs", String[].class)
        .invoke(null, (Object) args);
    // The Jetty server is built with a port alone (all interfaces): set each connector's host before start.
    Field field = proxy.getClass().getDeclaredField("server");
    field.setAccessible(true);
    Object jetty = field.get(proxy);
    Object[] connectors = (Object[]) jetty.getClass().getMethod("getConnectors").invoke(jetty);
    if (connectors.length == 0) throw new IllegalStateException("DynamoDB Local has no connector to bind");
    for (Object connector : connectors) {
      connector.getClass().getMethod("setHost", String.class).invoke(connector, "127.0.0.1");
    }
    proxy.getClass().getMethod("start").invoke(proxy);
  }
}

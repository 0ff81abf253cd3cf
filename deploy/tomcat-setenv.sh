# Save as $CATALINA_BASE/bin/setenv.sh: Tomcat ships none, and catalina.sh reads it at every start if it exists.
#
# Tomcat gives every WebSocket three buffers of this size (8 KiB by default) for the socket's life, most of a
# terminal's memory; 1 KiB is what Porthole's embedded start uses. A JVM-wide setting, read once when Tomcat's
# WebSocket classes load: a web app cannot set it for itself.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=1024"

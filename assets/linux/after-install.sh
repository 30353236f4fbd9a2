#!/bin/sh
# Installs the polkit action so pkexec names SigScope when it asks for the
# administrator password, and makes sure only root can change what pkexec runs.
set -e
install -D -m 0644 "/opt/SigScope/resources/polkit/org.sigscope.helper.policy" \
  /usr/share/polkit-1/actions/org.sigscope.helper.policy
chown -R root:root /opt/SigScope/resources/helper
chmod 0755 /opt/SigScope/resources/helper/sigscope-helper

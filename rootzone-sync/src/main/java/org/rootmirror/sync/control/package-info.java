/** The control socket: a Unix domain socket through which {@code rootmirror refresh} and {@code status} talk to the daemon. */
package org.rootmirror.sync.control;

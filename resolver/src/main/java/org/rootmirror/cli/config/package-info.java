/** The configuration file of {@code rootmirror run}: its keys, their defaults, the parser, and the effective settings. */
package org.rootmirror.cli.config;

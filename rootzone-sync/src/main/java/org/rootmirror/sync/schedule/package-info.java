/** When to sync and when the zone expires: pure timer rules, and the Quartz scheduler that runs them. */
package org.rootmirror.sync.schedule;

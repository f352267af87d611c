@echo off
rem Starts monev's menu; files or folders dropped on this file are compiled (rekap).
"%~dp0monev.exe" %*

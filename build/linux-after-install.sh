#!/bin/sh
# Runs as root after the .deb is installed. Serial PIN pads and printers need the dialout group
# and USB printers the lp group; we only explain, because adding users to groups is the
# installing engineer's decision.
echo "收银台：使用串口密码键盘或打印机的用户需要加入 dialout 组（USB 打印机需 lp 组）：sudo usermod -aG dialout,lp <用户名>"
echo "Cashier Console: users of serial PIN pads or printers need the dialout group (lp for USB printers): sudo usermod -aG dialout,lp <user>"
exit 0
